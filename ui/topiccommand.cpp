#include "topiccommand.h"

#include <QCoreApplication>

namespace brokerlab::ui {

namespace {

const char* const kContext = "brokerlab::ui::TopicCommand";

QString commandText(const char* source, const std::string& topic)
{
    return QCoreApplication::translate(kContext, source).arg(QString::fromStdString(topic));
}

std::vector<std::vector<std::int32_t>> placementOf(driver::Engine& engine, const std::string& name)
{
    std::vector<std::vector<std::int32_t>> placement;
    if (const cluster::TopicInfo* info = engine.cluster().controller().image().topic(name)) {
        for (const auto& partition : info->partitions)
            placement.push_back(partition.replicas);
    }
    return placement;
}

// The controller's own validation runs here too: the dialog checked against a snapshot that may be a few
// milliseconds old, and a workload could have created the same name since.
std::string create(driver::Engine& engine, const TopicDefinition& topic)
{
    const cluster::CreateTopicResult result = topic.assignment.empty()
        ? engine.cluster().createTopic(topic.name, topic.partitions, topic.replicationFactor, topic.config)
        : engine.cluster().controller().createTopic(
            topic.name, topic.partitions, topic.replicationFactor, topic.config, topic.assignment);
    return result.error == protocol::ErrorCode::NONE ? std::string() : result.message;
}

} // namespace

CreateTopicCommand::CreateTopicCommand(SimulationSession* session, TopicDefinition topic)
    : session_(session)
    , topic_(std::move(topic))
{
    setText(commandText(QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "create topic %1"), topic_.name));
}

void CreateTopicCommand::redo()
{
    if (!session_)
        return;
    session_->post(commandText(QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "create topic %1"), topic_.name),
        [topic = topic_, state = state_](driver::Engine& engine) {
            TopicDefinition definition = topic;
            if (!state->placement.empty())
                definition.assignment = state->placement;
            std::string failure = create(engine, definition);
            state->created = failure.empty();
            if (state->created)
                state->placement = placementOf(engine, topic.name);
            return failure;
        });
}

void CreateTopicCommand::undo()
{
    if (!session_)
        return;
    session_->post(commandText(QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "undo: create topic %1"), topic_.name),
        [name = topic_.name, state = state_](driver::Engine& engine) {
            if (!state->created)
                return std::string(); // the create failed: there is nothing of ours to remove
            state->created = false;
            const protocol::ErrorCode error = engine.cluster().controller().deleteTopic(name);
            return error == protocol::ErrorCode::NONE ? std::string() : "topic '" + name + "' was already gone";
        });
}

DeleteTopicCommand::DeleteTopicCommand(SimulationSession* session, std::string topic)
    : session_(session)
    , topic_(std::move(topic))
{
    setText(commandText(
        QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "delete topic %1 (undo recreates it empty)"), topic_));
}

void DeleteTopicCommand::redo()
{
    if (!session_)
        return;
    session_->post(commandText(QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "delete topic %1"), topic_),
        [name = topic_, state = state_](driver::Engine& engine) {
            const cluster::TopicInfo* info = engine.cluster().controller().image().topic(name);
            if (!info) {
                state->deleted = false;
                return "topic '" + name + "' does not exist";
            }
            TopicDefinition& definition = state->definition;
            definition.name = name;
            definition.config = info->config;
            definition.partitions = static_cast<std::int32_t>(info->partitions.size());
            definition.replicationFactor
                = info->partitions.empty() ? 1 : static_cast<std::int32_t>(info->partitions.front().replicas.size());
            definition.assignment = placementOf(engine, name);
            state->deleted = engine.cluster().controller().deleteTopic(name) == protocol::ErrorCode::NONE;
            return std::string();
        });
}

void DeleteTopicCommand::undo()
{
    if (!session_)
        return;
    // Kafka deletes a topic's data with it; undo brings back the topic with the same partitions, placement and
    // configs, but empty. The undo text says so.
    session_->post(commandText(QT_TRANSLATE_NOOP("brokerlab::ui::TopicCommand", "undo: delete topic %1"), topic_),
        [state = state_](driver::Engine& engine) {
            if (!state->deleted)
                return std::string();
            state->deleted = false;
            return create(engine, state->definition);
        });
}

} // namespace brokerlab::ui
