#include "client/streamprocessor.h"

#include <algorithm>
#include <charconv>

namespace brokerlab::client {

namespace {

// Just enough JSON to read and rewrite the members of the workloads' flat event objects, without a
// document model: values are kept as their text.

void skipSpace(std::string_view text, std::size_t& i)
{
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        ++i;
}

// Moves i past one JSON value; false when the text is not well formed there.
bool skipValue(std::string_view text, std::size_t& i)
{
    skipSpace(text, i);
    if (i >= text.size())
        return false;
    if (text[i] == '"') {
        for (++i; i < text.size(); ++i) {
            if (text[i] == '\\')
                ++i;
            else if (text[i] == '"')
                return ++i, true;
        }
        return false;
    }
    if (text[i] == '{' || text[i] == '[') {
        int depth = 0;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '"') {
                if (!skipValue(text, i))
                    return false;
                --i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return ++i, true;
            }
        }
        return false;
    }
    const std::size_t begin = i;
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' && text[i] != '\n')
        ++i;
    return i > begin;
}

struct Member {
    std::string_view name; // as written, without quotes (escapes are not decoded)
    std::string_view value; // the value's JSON text
};

// The members of a JSON object, in order; nullopt when the text is not an object.
std::optional<std::vector<Member>> membersOf(std::string_view text)
{
    std::size_t i = 0;
    skipSpace(text, i);
    if (i >= text.size() || text[i] != '{')
        return std::nullopt;
    ++i;
    std::vector<Member> members;
    skipSpace(text, i);
    if (i < text.size() && text[i] == '}')
        return members;
    while (i < text.size()) {
        skipSpace(text, i);
        const std::size_t nameBegin = i;
        if (i >= text.size() || text[i] != '"' || !skipValue(text, i))
            return std::nullopt;
        const std::string_view name = text.substr(nameBegin + 1, i - nameBegin - 2);
        skipSpace(text, i);
        if (i >= text.size() || text[i] != ':')
            return std::nullopt;
        ++i;
        skipSpace(text, i);
        const std::size_t valueBegin = i;
        if (!skipValue(text, i))
            return std::nullopt;
        members.push_back({ name, text.substr(valueBegin, i - valueBegin) });
        skipSpace(text, i);
        if (i < text.size() && text[i] == ',') {
            ++i;
            continue;
        }
        if (i < text.size() && text[i] == '}')
            return members;
        return std::nullopt;
    }
    return std::nullopt;
}

// The JSON text of the member a dotted path names.
std::optional<std::string_view> fieldValue(std::string_view json, std::string_view path)
{
    std::string_view current = json;
    while (true) {
        const std::size_t dot = path.find('.');
        const std::string_view name = path.substr(0, dot);
        const auto members = membersOf(current);
        if (!members)
            return std::nullopt;
        const auto it = std::find_if(members->begin(), members->end(), [&](const Member& m) { return m.name == name; });
        if (it == members->end())
            return std::nullopt;
        if (dot == std::string_view::npos)
            return it->value;
        current = it->value;
        path.remove_prefix(dot + 1);
    }
}

std::optional<double> numberOf(std::string_view text)
{
    if (text.empty() || !(text.front() == '-' || (text.front() >= '0' && text.front() <= '9')))
        return std::nullopt;
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string rewrite(std::string_view json, const RecordMapping& map)
{
    const auto members = membersOf(json);
    if (!members)
        return std::string(json);
    std::string out = "{";
    auto append = [&out](std::string_view name, std::string_view value) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
        out += value;
    };
    std::vector<bool> used(map.set.size(), false);
    for (const Member& member : *members) {
        if (std::find(map.remove.begin(), map.remove.end(), member.name) != map.remove.end())
            continue;
        std::string_view value = member.value;
        for (std::size_t s = 0; s < map.set.size(); ++s) {
            if (map.set[s].first == member.name) {
                value = map.set[s].second;
                used[s] = true;
            }
        }
        append(member.name, value);
    }
    for (std::size_t s = 0; s < map.set.size(); ++s) {
        if (!used[s])
            append(map.set[s].first, map.set[s].second);
    }
    return out + "}";
}

constexpr std::pair<FieldCondition::Op, std::string_view> kOpNames[] = {
    { FieldCondition::Op::Equal, "==" },
    { FieldCondition::Op::NotEqual, "!=" },
    { FieldCondition::Op::Less, "<" },
    { FieldCondition::Op::LessOrEqual, "<=" },
    { FieldCondition::Op::Greater, ">" },
    { FieldCondition::Op::GreaterOrEqual, ">=" },
    { FieldCondition::Op::Exists, "exists" },
    { FieldCondition::Op::Missing, "missing" },
};

ConsumerConfig committingByHand(ConsumerConfig config)
{
    config.enableAutoCommit = false; // the processor commits after each flushed batch
    return config;
}

} // namespace

std::string_view conditionOpName(FieldCondition::Op op)
{
    for (const auto& [value, name] : kOpNames) {
        if (value == op)
            return name;
    }
    return {};
}

std::optional<FieldCondition::Op> conditionOpFromName(std::string_view name)
{
    for (const auto& [value, text] : kOpNames) {
        if (text == name)
            return value;
    }
    return std::nullopt;
}

bool FieldCondition::holds(std::string_view jsonValue) const
{
    const auto found = fieldValue(jsonValue, field);
    if (op == Op::Missing)
        return !found;
    if (!found)
        return false;
    if (op == Op::Exists)
        return true;
    const auto left = numberOf(*found);
    const auto right = numberOf(operand);
    if (left && right) {
        switch (op) {
        case Op::Equal:
            return *left == *right;
        case Op::NotEqual:
            return *left != *right;
        case Op::Less:
            return *left < *right;
        case Op::LessOrEqual:
            return *left <= *right;
        case Op::Greater:
            return *left > *right;
        case Op::GreaterOrEqual:
            return *left >= *right;
        default:
            return false;
        }
    }
    if (op == Op::Equal)
        return *found == operand;
    if (op == Op::NotEqual)
        return *found != operand;
    return false;
}

std::vector<std::string> StreamProcessorPlan::outputTopics() const
{
    std::vector<std::string> topics;
    auto add = [&topics](const std::string& topic) {
        if (!topic.empty() && std::find(topics.begin(), topics.end(), topic) == topics.end())
            topics.push_back(topic);
    };
    for (const ProcessorRoute& route : routes)
        add(route.topic);
    add(output);
    return topics;
}

ProcessedRecord applyPlan(
    const StreamProcessorPlan& plan, const std::optional<std::string>& key, const std::optional<std::string>& value)
{
    ProcessedRecord result;
    const std::string_view text = value ? std::string_view(*value) : std::string_view();
    for (const FieldCondition& condition : plan.filter) {
        if (!condition.holds(text)) {
            result.fate = ProcessedRecord::Fate::Filtered;
            return result;
        }
    }
    result.topic = plan.output;
    for (const ProcessorRoute& route : plan.routes) {
        if (route.when.holds(text)) {
            result.topic = route.topic;
            break;
        }
    }
    if (result.topic.empty()) {
        result.fate = ProcessedRecord::Fate::Unrouted;
        return result;
    }
    result.key = key;
    if (!plan.map.keyField.empty()) {
        if (const auto field = fieldValue(text, plan.map.keyField)) {
            std::string_view newKey = *field;
            if (newKey.size() >= 2 && newKey.front() == '"')
                newKey = newKey.substr(1, newKey.size() - 2);
            result.key = std::string(newKey);
        }
    }
    if (value && (!plan.map.set.empty() || !plan.map.remove.empty()))
        result.value = rewrite(*value, plan.map);
    else
        result.value = value;
    return result;
}

std::uint64_t processorRecordHash(std::optional<std::string_view> key, std::optional<std::string_view> value)
{
    std::uint64_t hash = 14695981039346656037ULL;
    auto mix = [&hash](std::string_view bytes) {
        for (char c : bytes) {
            hash ^= static_cast<std::uint8_t>(c);
            hash *= 1099511628211ULL;
        }
    };
    mix(key ? "k" : "n");
    if (key)
        mix(*key);
    mix(value ? "v" : "n");
    if (value)
        mix(*value);
    // splitmix64's finalizer, so that sums of hashes do not cancel out
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    return hash ^ (hash >> 31);
}

StreamProcessor::StreamProcessor(cluster::Cluster& cluster, ConsumerConfig consumerConfig,
    ProducerConfig producerConfig, std::uint64_t seed, StreamProcessorPlan plan)
    : cluster_(cluster)
    , plan_(std::move(plan))
    , consumer_(std::make_unique<Consumer>(cluster, committingByHand(std::move(consumerConfig))))
    , producer_(std::make_unique<Producer>(cluster, std::move(producerConfig), seed))
{
    for (const std::string& topic : plan_.outputTopics())
        counters_.outputs.push_back({ .topic = topic });
    producer_->setRecordTracking(&processorRecordHash);
    producer_->setDeliveryListener([this](const DeliveryReport& report) { onDelivery(report); });
    consumer_->setProcessedListener([this](const ConsumedRecord& record) { process(record); });
}

StreamProcessor::~StreamProcessor() = default;

void StreamProcessor::start()
{
    cluster::Context& context = cluster_.context();
    const sim::SimTime at = std::max(plan_.start, context.now());
    context.scheduler.scheduleAt(at, [this] {
        producer_->start();
        consumer_->subscribe({ plan_.inputTopic });
    });
    consumer_->runPollLoop({ .start = at,
        .stop = plan_.stop,
        .pollIntervalMs = plan_.pollIntervalMs,
        .processingMsPerRecord = plan_.processingMsPerRecord,
        .processingMs = {},
        .commit = CommitMode::Sync,
        .delivery = Delivery::AtLeastOnce,
        .beforeCommit = [this](std::function<void()> proceed) { whenFlushed(std::move(proceed)); } });
}

ProcessorOutput& StreamProcessor::output(const std::string& topic)
{
    auto it = std::find_if(counters_.outputs.begin(), counters_.outputs.end(),
        [&topic](const ProcessorOutput& candidate) { return candidate.topic == topic; });
    return *it; // applyPlan only picks topics of outputTopics()
}

void StreamProcessor::process(const ConsumedRecord& record)
{
    ++counters_.recordsIn;
    ProcessedRecord result = applyPlan(plan_, record.record.key, record.record.value);
    if (result.fate == ProcessedRecord::Fate::Filtered) {
        ++counters_.filtered;
        return;
    }
    if (result.fate == ProcessedRecord::Fate::Unrouted) {
        ++counters_.unrouted;
        return;
    }
    pending_.push_back(std::move(result));
    sendPending();
}

void StreamProcessor::sendPending()
{
    while (!pending_.empty()) {
        ProcessedRecord& next = pending_.front();
        if (!producer_->send(
                next.topic, std::nullopt, next.key ? &*next.key : nullptr, next.value ? &*next.value : nullptr)) {
            // No metadata for the topic yet, or buffer.memory is full: send() blocks in Kafka's
            // producer; here the records wait and are tried again.
            if (!retryScheduled_) {
                retryScheduled_ = true;
                cluster_.context().scheduler.scheduleAfter(
                    producer_->config().retryBackoffMs * sim::kMicrosPerMs, [this] {
                        retryScheduled_ = false;
                        sendPending();
                    });
            }
            return;
        }
        ++output(next.topic).sent;
        ++unacknowledged_;
        pending_.pop_front();
    }
    checkFlushed();
}

void StreamProcessor::onDelivery(const DeliveryReport& report)
{
    ProcessorOutput& target = output(report.topicPartition.topic);
    unacknowledged_ -= report.recordCount;
    if (report.error != protocol::ErrorCode::NONE) {
        target.failed += report.recordCount;
    } else {
        target.acked += report.recordCount;
        if (report.recordHashes) {
            for (std::uint64_t hash : *report.recordHashes)
                target.contentHash += hash;
        }
    }
    // Not from inside the producer's completion: the commit that may follow is a new step.
    cluster_.context().scheduler.scheduleAfter(0, [this] { checkFlushed(); });
}

void StreamProcessor::whenFlushed(std::function<void()> proceed)
{
    flushWaiters_.push_back(std::move(proceed));
    checkFlushed();
}

void StreamProcessor::checkFlushed()
{
    if (flushWaiters_.empty() || !pending_.empty() || unacknowledged_ > 0)
        return;
    auto waiters = std::move(flushWaiters_);
    flushWaiters_.clear();
    counters_.commits += static_cast<std::int64_t>(waiters.size());
    for (auto& proceed : waiters)
        proceed();
}

} // namespace brokerlab::client
