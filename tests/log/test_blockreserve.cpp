// The block reserve: a busy partition's log takes full-size blocks whose pages were mapped ahead of need by a
// thread that only runs on an otherwise idle core; what is stored and read back is unchanged, and a caller never
// waits for the reserve.
#include "log/blockreserve.h"
#include "log/partitionlog.h"
#include "logfixtures.h"

#include <QTest>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#ifdef __linux__
#include <sched.h>
#endif

using namespace brokerlab::log;

namespace {

constexpr std::size_t kBigValueBytes = 200 * 1024; // four such records: a batch of about 800 KiB, as librdkafka sends

Bytes bigBatch(int index) { return logtest::makeBatch(4, index, "key-", kBigValueBytes); }

} // namespace

class TestBlockReserve : public QObject {
    Q_OBJECT

private slots:
    void aReserveHandsOutNothingUntilItsThreadHasMadeBlocksReady()
    {
        BlockReserve reserve;
        // The first ask starts the thread and finds nothing: the caller allocates as usual and does not wait.
        QCOMPARE(reserve.take(), nullptr);
        QCOMPARE(reserve.counters().missed, std::uint64_t(1));
        QVERIFY(reserve.waitUntilFull(10000));
        QCOMPARE(reserve.counters().prepared, std::uint64_t(BlockReserve::kReadyBlocks));
        void* block = reserve.take();
        QVERIFY(block != nullptr);
        // Writable all through, as malloc'd memory of the full size.
        auto* bytes = static_cast<unsigned char*>(block);
        bytes[0] = 1;
        bytes[BlockReserve::kBlockBytes - 1] = 2;
        std::free(block);
        QCOMPARE(reserve.counters().taken, std::uint64_t(1));
        // It refills what was taken.
        QVERIFY(reserve.waitUntilFull(10000));
        QCOMPARE(reserve.counters().prepared, std::uint64_t(BlockReserve::kReadyBlocks + 1));
    }

    void aBusyPartitionStoresAndReadsBackTheSameBytesFromReadyBlocks()
    {
        BlockReserve& reserve = BlockReserve::instance();
        // A partition's first block is the size of its first batch; from its second on they are full-size, and the
        // first one asked for starts the reserve's thread if nothing had.
        PartitionLog warmUp;
        for (int i = 0; i < 3; ++i)
            QVERIFY(warmUp.appendAsLeader(bigBatch(i), 1, 0).ok());
        QVERIFY(reserve.waitUntilFull(10000));
        const std::uint64_t takenBefore = reserve.counters().taken;

        PartitionLog leader;
        PartitionLog follower;
        std::vector<Bytes> appended;
        for (int i = 0; i < 6; ++i) {
            appended.push_back(bigBatch(i));
            const AppendInfo info = leader.appendAsLeader(appended.back(), 1, 1000 * i);
            QVERIFY(info.ok());
            QCOMPARE(info.firstOffset, std::int64_t(4 * i));
        }
        QVERIFY(reserve.counters().taken > takenBefore);

        // Every batch reads back as appended but for the offsets and epoch the leader wrote into it.
        for (int i = 0; i < 6; ++i) {
            const ReadInfo read = leader.read(4 * i, INT32_MAX, INT64_MAX);
            QVERIFY(read.records.size() >= appended[i].size());
            BatchHeader header;
            QCOMPARE(parseBatchHeader(read.records.span().first(appended[i].size()), header), BatchError::None);
            QCOMPARE(header.baseOffset, std::int64_t(4 * i));
            QCOMPARE(header.partitionLeaderEpoch, 1);
            QCOMPARE(header.recordCount, 4);
            // From the attributes on, the bytes are the client's (and the CRC still covers them).
            constexpr std::size_t kAttributesAt = 21;
            QVERIFY(std::equal(appended[i].begin() + kAttributesAt, appended[i].end(),
                read.records.begin() + kAttributesAt));
        }
        // A follower replicates them unchanged and shares the leader's blocks.
        const ReadInfo all = leader.read(0, INT32_MAX, INT64_MAX);
        QVERIFY(follower.appendAsFollower(all.records, 0).ok());
        QCOMPARE(follower.logEndOffset(), leader.logEndOffset());
        QCOMPARE(follower.read(0, INT32_MAX, INT64_MAX).records, leader.read(0, INT32_MAX, INT64_MAX).records);

        logtest::verifyStats(leader);
        // A closed block still gives back its unused tail: the memory held stays close to what is stored.
        const LogStats stats = leader.stats();
        QVERIFY(stats.allocatedBytes < stats.sizeInBytes + std::int64_t(BlockReserve::kBlockBytes) + 64 * 1024);
    }

    void theReservesThreadIsNamedAndRunsOnlyWhenACoreIsIdle()
    {
#ifndef __linux__
        QSKIP("thread names and scheduling policies are read from Linux's /proc");
#else
        BlockReserve& reserve = BlockReserve::instance();
        std::free(reserve.take()); // starts it, if nothing had (a block taken is the caller's to free)
        QVERIFY(reserve.waitUntilFull(10000));
        int found = 0;
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
            std::ifstream comm(task.path() / "comm");
            std::string name;
            if (!std::getline(comm, name) || name != "brokerlab-pages")
                continue;
            ++found;
            QCOMPARE(::sched_getscheduler(std::stoi(task.path().filename().string())), SCHED_IDLE);
        }
        QCOMPARE(found, 1);
#endif
    }
};

QTEST_GUILESS_MAIN(TestBlockReserve)
#include "test_blockreserve.moc"
