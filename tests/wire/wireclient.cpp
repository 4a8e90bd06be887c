// A small librdkafka producer for the real-client tests: sends COUNT records "v0".."vN-1" and prints
// one line per acknowledged record ("acked PARTITION OFFSET VALUE") or failed one ("failed VALUE
// ERROR"), so a test can check that every acknowledged record is in the log afterwards.
//
//   wireclient BOOTSTRAP TOPIC COUNT [--idempotent] [--acks N] [--interval-us N] [--timeout-ms N]
//
// Exit status: 0 when every record was acknowledged, 3 when some failed, 2 on bad usage, 4 on a
// fatal client error (e.g. the idempotent producer could not get a producer id).

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

int acked = 0;
int failed = 0;

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*)
{
    const std::string value(static_cast<const char*>(message->payload), message->len);
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++acked;
        std::printf("acked %d %lld %s\n", message->partition, static_cast<long long>(message->offset), value.c_str());
    } else {
        ++failed;
        std::printf("failed %s %s\n", value.c_str(), rd_kafka_err2name(message->err));
    }
}

bool set(rd_kafka_conf_t* conf, const char* name, const std::string& value)
{
    char error[512];
    if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
        std::fprintf(stderr, "wireclient: %s=%s: %s\n", name, value.c_str(), error);
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: wireclient BOOTSTRAP TOPIC COUNT [--idempotent] [--acks N] [--interval-us N]"
                             " [--timeout-ms N]\n");
        return 2;
    }
    const std::string bootstrap = argv[1], topic = argv[2];
    const int count = std::atoi(argv[3]);
    bool idempotent = false;
    std::string acks = "all";
    long intervalUs = 0;
    std::string timeoutMs = "30000";
    for (int i = 4; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--idempotent")
            idempotent = true;
        else if (arg == "--acks" && i + 1 < argc)
            acks = argv[++i];
        else if (arg == "--interval-us" && i + 1 < argc)
            intervalUs = std::atol(argv[++i]);
        else if (arg == "--timeout-ms" && i + 1 < argc)
            timeoutMs = argv[++i];
        else {
            std::fprintf(stderr, "wireclient: unknown argument %s\n", arg.c_str());
            return 2;
        }
    }

    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (!set(conf, "bootstrap.servers", bootstrap) || !set(conf, "acks", acks)
        || !set(conf, "enable.idempotence", idempotent ? "true" : "false") || !set(conf, "linger.ms", "5")
        || !set(conf, "message.timeout.ms", timeoutMs) || !set(conf, "client.id", "wireclient"))
        return 2;
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    char error[512];
    rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!producer) {
        std::fprintf(stderr, "wireclient: %s\n", error);
        return 2;
    }
    for (int i = 0; i < count; ++i) {
        const std::string value = "v" + std::to_string(i);
        for (;;) {
            const rd_kafka_resp_err_t err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                rd_kafka_poll(producer, 10);
                continue;
            }
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                std::fprintf(stderr, "wireclient: produce: %s\n", rd_kafka_err2str(err));
                return 2;
            }
            break;
        }
        rd_kafka_poll(producer, 0);
        if (intervalUs > 0)
            std::this_thread::sleep_for(std::chrono::microseconds(intervalUs));
    }
    rd_kafka_flush(producer, 120000);
    char fatal[512];
    const rd_kafka_resp_err_t fatalError = rd_kafka_fatal_error(producer, fatal, sizeof fatal);
    rd_kafka_destroy(producer);
    std::fflush(stdout);
    std::fprintf(stderr, "wireclient: %d acknowledged, %d failed\n", acked, failed);
    if (fatalError != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::fprintf(stderr, "wireclient: fatal error: %s\n", fatal);
        return 4;
    }
    return failed == 0 && acked == count ? 0 : 3;
}
