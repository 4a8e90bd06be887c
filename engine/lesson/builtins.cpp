#include "lesson/builtins.h"

#include <QDir>

#include <algorithm>
#include <charconv>

namespace brokerlab::lesson {

std::vector<BuiltinLesson> builtinLessons()
{
    std::vector<BuiltinLesson> lessons;
    const QStringList names = QDir(QStringLiteral(":/lessons")).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString& name : names) {
        const std::string stem = name.chopped(5).toStdString();
        const std::size_t dash = stem.find('-');
        BuiltinLesson lesson;
        const auto parsed = std::from_chars(stem.data(), stem.data() + (dash == std::string::npos ? 0 : dash), lesson.number);
        if (dash == std::string::npos || parsed.ec != std::errc())
            continue; // not NN-id.json
        lesson.id = stem.substr(dash + 1);
        lesson.resourcePath = ":/lessons/" + name.toStdString();
        lessons.push_back(std::move(lesson));
    }
    std::stable_sort(lessons.begin(), lessons.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
    return lessons;
}

std::optional<BuiltinLesson> findBuiltinLesson(const std::string& name)
{
    int number = -1;
    const auto parsed = std::from_chars(name.data(), name.data() + name.size(), number);
    const bool isNumber = parsed.ec == std::errc() && parsed.ptr == name.data() + name.size();
    for (const BuiltinLesson& lesson : builtinLessons()) {
        const std::string stem = (lesson.number < 10 ? "0" : "") + std::to_string(lesson.number) + "-" + lesson.id;
        if (lesson.id == name || stem == name || (isNumber && lesson.number == number))
            return lesson;
    }
    return std::nullopt;
}

} // namespace brokerlab::lesson
