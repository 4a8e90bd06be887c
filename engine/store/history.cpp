// The workspace's event timeline and metrics history (docs/store.md, tables `events` and `metrics`).

#include "scenario/json.h"
#include "store/workspace.h"

namespace brokerlab::store {

namespace {

std::string numbersJson(const std::vector<std::pair<std::string, std::int64_t>>& numbers)
{
    scenario::JsonValue object = scenario::JsonValue::object();
    for (const auto& [name, value] : numbers)
        object.set(name, value);
    return scenario::toJson(object);
}

bool numeric(const std::string& type) { return type == "integer" || type == "real"; }

// Rows of another shape say where they are, so a damaged table names itself instead of showing zeros.
[[noreturn]] void damaged(const std::string& path, const std::string& table, std::int64_t row, const std::string& what)
{
    throw StoreError(path + ": the workspace's " + table + " table is damaged (row " + std::to_string(row) + ": " + what
        + "); the file is left as it is");
}

// Runs a read of one table; an SQLite error (a table of another shape) names the table.
template <typename Read>
auto readTable(const std::string& path, const std::string& table, Read read)
{
    try {
        return read();
    } catch (const StoreError& error) {
        const std::string message = error.what();
        if (message.find(path + ": ") == 0)
            throw;
        throw StoreError(
            path + ": the workspace's " + table + " table cannot be read (" + message + "); the file is left as it is");
    }
}

} // namespace

void Workspace::addEvents(const std::vector<TimelineEvent>& events)
{
    if (events.empty())
        return;
    execute(db_, "BEGIN");
    try {
        if (!eventDetail_) {
            // A file from before events kept their fields: the columns come with the first new event.
            execute(db_,
                "ALTER TABLE events ADD COLUMN broker INTEGER NOT NULL DEFAULT -1;"
                "ALTER TABLE events ADD COLUMN topic TEXT NOT NULL DEFAULT '';"
                "ALTER TABLE events ADD COLUMN partition INTEGER NOT NULL DEFAULT -1;"
                "ALTER TABLE events ADD COLUMN client TEXT NOT NULL DEFAULT '';"
                "ALTER TABLE events ADD COLUMN numbers TEXT NOT NULL DEFAULT '{}';");
        }
        Statement statement(db_,
            "INSERT INTO events(virtual_us, kind, text, broker, topic, partition, client, numbers)"
            " VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& event : events) {
            const std::string numbers = numbersJson(event.numbers);
            statement.bind(1, event.virtualUs)
                .bindText(2, event.kind)
                .bindText(3, event.text)
                .bind(4, std::int64_t(event.broker))
                .bindText(5, event.topic)
                .bind(6, std::int64_t(event.partition))
                .bindText(7, event.client)
                .bindText(8, numbers)
                .run();
        }
        execute(db_, "COMMIT");
        eventDetail_ = true;
    } catch (...) {
        execute(db_, "ROLLBACK");
        throw;
    }
}

std::vector<TimelineEvent> Workspace::events() const
{
    return readTable(path_, "events", [this] {
        std::vector<TimelineEvent> events;
        Statement statement(db_,
            eventDetail_ ? "SELECT id, typeof(virtual_us), virtual_us, kind, text, broker, topic, partition, client, "
                           "numbers FROM events ORDER BY id"
                         : "SELECT id, typeof(virtual_us), virtual_us, kind, text, -1, '', -1, '', '{}' FROM events "
                           "ORDER BY id");
        while (statement.step()) {
            const std::int64_t row = statement.integer(0);
            if (statement.text(1) != "integer")
                damaged(path_, "events", row, "the time is not a number of microseconds");
            TimelineEvent event { statement.integer(2), statement.text(3), statement.text(4),
                std::int32_t(statement.integer(5)), statement.text(6), std::int32_t(statement.integer(7)),
                statement.text(8), {} };
            const auto parsed = scenario::parseJson(statement.text(9));
            if (!parsed.ok() || !parsed.value.isObject())
                damaged(path_, "events", row, "its numbers are not a JSON object");
            for (const auto& member : parsed.value.members()) {
                if (!member.value.isInteger())
                    damaged(path_, "events", row, "its number '" + member.key + "' is not an integer");
                event.numbers.emplace_back(member.key, member.value.asInt());
            }
            events.push_back(std::move(event));
        }
        return events;
    });
}

std::int64_t Workspace::eventCount() const
{
    return readTable(path_, "events", [this] {
        Statement statement(db_, "SELECT count(*) FROM events");
        statement.step();
        return statement.integer(0);
    });
}

void Workspace::addMetric(std::int64_t virtualMs, const std::string& name, double value)
{
    Statement statement(db_, "INSERT OR REPLACE INTO metrics(name, virtual_ms, value) VALUES(?, ?, ?)");
    statement.bindText(1, name).bind(2, virtualMs).bind(3, value).run();
}

void Workspace::addMetrics(const std::vector<MetricPoint>& points)
{
    if (points.empty())
        return;
    execute(db_, "BEGIN");
    try {
        Statement statement(db_, "INSERT OR REPLACE INTO metrics(name, virtual_ms, value) VALUES(?, ?, ?)");
        for (const auto& point : points)
            statement.bindText(1, point.name).bind(2, point.virtualMs).bind(3, point.value).run();
        execute(db_, "COMMIT");
    } catch (...) {
        execute(db_, "ROLLBACK");
        throw;
    }
}

std::vector<std::pair<std::int64_t, double>> Workspace::metric(const std::string& name) const
{
    std::vector<std::pair<std::int64_t, double>> points;
    Statement statement(db_, "SELECT virtual_ms, value FROM metrics WHERE name = ? ORDER BY virtual_ms");
    statement.bindText(1, name);
    while (statement.step())
        points.emplace_back(statement.integer(0), statement.real(1));
    return points;
}

std::vector<MetricSeries> Workspace::metrics() const
{
    return readTable(path_, "metrics", [this] {
        std::vector<MetricSeries> series;
        Statement statement(db_,
            "SELECT name, typeof(virtual_ms), virtual_ms, typeof(value), value FROM metrics ORDER BY name, virtual_ms");
        std::int64_t row = 0;
        while (statement.step()) {
            ++row;
            std::string name = statement.text(0);
            if (statement.text(1) != "integer" || !numeric(statement.text(3)))
                damaged(path_, "metrics", row, "series '" + name + "' holds a time or value that is not a number");
            if (series.empty() || series.back().name != name)
                series.push_back({ std::move(name), {} });
            series.back().points.emplace_back(statement.integer(2), statement.real(4));
        }
        return series;
    });
}

std::optional<std::int64_t> Workspace::lastMetricMs() const
{
    return readTable(path_, "metrics", [this]() -> std::optional<std::int64_t> {
        Statement statement(db_, "SELECT max(virtual_ms) FROM metrics");
        if (!statement.step() || statement.isNull(0))
            return std::nullopt;
        return statement.integer(0);
    });
}

} // namespace brokerlab::store
