// librdkafka's Admin API against Brokerlab, for the real-client tests:
//
//   wireadmin BOOTSTRAP create TOPIC PARTITIONS REPLICATION_FACTOR [NAME=VALUE ...]
//   wireadmin BOOTSTRAP describe TOPIC        prints "NAME=VALUE" per config, then "source NAME SOURCE"
//   wireadmin BOOTSTRAP delete TOPIC
//
// Prints "ok" or "error CODE_NAME message" per topic; exit status 0 on success, 3 on a Kafka error,
// 2 on bad usage or a client failure.

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int kTimeoutMs = 15000;

rd_kafka_event_t* waitFor(rd_kafka_queue_t* queue, rd_kafka_event_type_t type)
{
    for (;;) {
        rd_kafka_event_t* event = rd_kafka_queue_poll(queue, kTimeoutMs);
        if (!event)
            return nullptr;
        if (rd_kafka_event_type(event) == type)
            return event;
        rd_kafka_event_destroy(event);
    }
}

int report(const rd_kafka_topic_result_t* const* results, size_t count)
{
    int status = 0;
    for (size_t i = 0; i < count; ++i) {
        const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
        if (err) {
            const char* message = rd_kafka_topic_result_error_string(results[i]);
            std::printf("error %s %s\n", rd_kafka_err2name(err), message ? message : "");
            status = 3;
        } else {
            std::printf("ok %s\n", rd_kafka_topic_result_name(results[i]));
        }
    }
    return status;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: wireadmin BOOTSTRAP create|describe|delete TOPIC ...\n");
        return 2;
    }
    const std::string command = argv[2];
    const char* topic = argv[3];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], error, sizeof error) != RD_KAFKA_CONF_OK)
        return 2;
    rd_kafka_t* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!client) {
        std::fprintf(stderr, "wireadmin: %s\n", error);
        return 2;
    }
    rd_kafka_queue_t* queue = rd_kafka_queue_new(client);
    int status = 2;
    if (command == "create" && argc >= 6) {
        rd_kafka_NewTopic_t* newTopic
            = rd_kafka_NewTopic_new(topic, std::atoi(argv[4]), std::atoi(argv[5]), error, sizeof error);
        for (int i = 6; i < argc; ++i) {
            const std::string pair = argv[i];
            const auto equals = pair.find('=');
            rd_kafka_NewTopic_set_config(
                newTopic, pair.substr(0, equals).c_str(), pair.substr(equals + 1).c_str());
        }
        rd_kafka_CreateTopics(client, &newTopic, 1, nullptr, queue);
        if (rd_kafka_event_t* event = waitFor(queue, RD_KAFKA_EVENT_CREATETOPICS_RESULT)) {
            size_t count = 0;
            const auto* results
                = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
            status = rd_kafka_event_error(event) ? 2 : report(results, count);
            rd_kafka_event_destroy(event);
        }
        rd_kafka_NewTopic_destroy(newTopic);
    } else if (command == "delete") {
        rd_kafka_DeleteTopic_t* deleted = rd_kafka_DeleteTopic_new(topic);
        rd_kafka_DeleteTopics(client, &deleted, 1, nullptr, queue);
        if (rd_kafka_event_t* event = waitFor(queue, RD_KAFKA_EVENT_DELETETOPICS_RESULT)) {
            size_t count = 0;
            const auto* results
                = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count);
            status = rd_kafka_event_error(event) ? 2 : report(results, count);
            rd_kafka_event_destroy(event);
        }
        rd_kafka_DeleteTopic_destroy(deleted);
    } else if (command == "describe") {
        rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
        rd_kafka_DescribeConfigs(client, &resource, 1, nullptr, queue);
        if (rd_kafka_event_t* event = waitFor(queue, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT)) {
            size_t count = 0;
            const auto* resources
                = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event), &count);
            status = rd_kafka_event_error(event) ? 2 : 0;
            for (size_t r = 0; r < count; ++r) {
                if (rd_kafka_ConfigResource_error(resources[r])) {
                    std::printf("error %s %s\n", rd_kafka_err2name(rd_kafka_ConfigResource_error(resources[r])),
                        rd_kafka_ConfigResource_error_string(resources[r]));
                    status = 3;
                    continue;
                }
                size_t configs = 0;
                const auto* entries = rd_kafka_ConfigResource_configs(resources[r], &configs);
                for (size_t c = 0; c < configs; ++c) {
                    const char* value = rd_kafka_ConfigEntry_value(entries[c]);
                    std::printf("%s=%s\n", rd_kafka_ConfigEntry_name(entries[c]), value ? value : "(null)");
                    std::printf("source %s %s\n", rd_kafka_ConfigEntry_name(entries[c]),
                        rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(entries[c])));
                }
            }
            rd_kafka_event_destroy(event);
        }
        rd_kafka_ConfigResource_destroy(resource);
    }
    if (status == 2)
        std::fprintf(stderr, "wireadmin: no answer or bad usage\n");
    rd_kafka_queue_destroy(queue);
    rd_kafka_destroy(client);
    return status;
}
