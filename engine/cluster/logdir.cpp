#include "cluster/logdir.h"

namespace brokerlab::cluster {

namespace {

// Kafka's OffsetCheckpointFile: version 0, the entry count, then "<topic> <partition> <offset>".
std::string offsetCheckpoint(const std::vector<std::pair<const Replica*, std::int64_t>>& entries)
{
    std::string text = "0\n" + std::to_string(entries.size()) + "\n";
    for (const auto& [replica, offset] : entries) {
        text += replica->topicPartition().topic + " " + std::to_string(replica->topicPartition().partition) + " "
            + std::to_string(offset) + "\n";
    }
    return text;
}

void addText(
    std::vector<LogDirFile>& files, std::string directory, std::string name, const std::string& text, bool contents)
{
    files.push_back({ std::move(directory), std::move(name), static_cast<std::int64_t>(text.size()),
        contents ? log::Bytes(text.begin(), text.end()) : log::Bytes() });
}

} // namespace

std::vector<LogDirFile> logDirectory(const Broker& broker, bool contents)
{
    std::vector<LogDirFile> files;
    const MetadataImage* image = broker.metadata();
    // meta.properties as a KRaft broker writes it (Kafka adds a comment with the date first).
    addText(files, {}, "meta.properties",
        "version=1\nnode.id=" + std::to_string(broker.id())
            + "\ncluster.id=" + (image ? image->clusterId : std::string()) + "\n",
        contents);
    std::vector<std::pair<const Replica*, std::int64_t>> recoveryPoints, highWatermarks, logStarts;
    for (const auto& [topicPartition, replica] : broker.replicas()) {
        const log::PartitionLog& log = replica->log();
        recoveryPoints.emplace_back(replica.get(), log.stats().flushedOffset);
        highWatermarks.emplace_back(replica.get(), replica->highWatermark());
        // LogManager checkpoints a log start offset only where it lies inside the first segment.
        if (!log.segments().empty() && log.logStartOffset() > log.segments().front()->baseOffset())
            logStarts.emplace_back(replica.get(), log.logStartOffset());
    }
    addText(files, {}, "log-start-offset-checkpoint", offsetCheckpoint(logStarts), contents);
    addText(files, {}, "recovery-point-offset-checkpoint", offsetCheckpoint(recoveryPoints), contents);
    addText(files, {}, "replication-offset-checkpoint", offsetCheckpoint(highWatermarks), contents);
    for (const auto& [topicPartition, replica] : broker.replicas()) {
        const std::string directory = topicPartition.topic + "-" + std::to_string(topicPartition.partition);
        for (log::PartitionLog::FileImage& file : replica->log().fileImages(contents))
            files.push_back({ directory, std::move(file.name), file.size, std::move(file.bytes) });
        // PartitionMetadataFile (KIP-516): the topic id, so a recreated topic is never mistaken for it.
        if (const TopicInfo* topic = image ? image->topic(topicPartition.topic) : nullptr)
            addText(files, directory, "partition.metadata", "version: 0\ntopic_id: " + topic->topicId + "\n", contents);
    }
    return files;
}

} // namespace brokerlab::cluster
