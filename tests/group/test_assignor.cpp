// Consumer groups in the lab must split partitions exactly as a Java consumer group's leader
// would, so lessons about range's imbalance or roundrobin's spread show what Kafka does.

#include "group/assignor.h"
#include "sim/rng.h"

#include <QStringList>
#include <QTest>

#include <algorithm>
#include <set>

using namespace brokerlab::group;

namespace {

// "C0:t0,t1" is member C0 subscribed to t0 and t1; "C0/i-1:t0" gives it group.instance.id i-1.
std::vector<MemberSubscription> parseMembers(const QStringList& specs)
{
    std::vector<MemberSubscription> members;
    for (const QString& spec : specs) {
        const QString identity = spec.section(QLatin1Char(':'), 0, 0);
        const QString topics = spec.section(QLatin1Char(':'), 1);
        MemberSubscription member;
        member.memberId = identity.section(QLatin1Char('/'), 0, 0).toStdString();
        if (identity.contains(QLatin1Char('/')))
            member.groupInstanceId = identity.section(QLatin1Char('/'), 1).toStdString();
        for (const QString& topic : topics.split(QLatin1Char(','), Qt::SkipEmptyParts))
            member.topics.push_back(topic.toStdString());
        members.push_back(std::move(member));
    }
    return members;
}

// "t0=3,t1=2"
std::map<std::string, std::int32_t> parseTopics(const QString& spec)
{
    std::map<std::string, std::int32_t> topics;
    for (const QString& entry : spec.split(QLatin1Char(','), Qt::SkipEmptyParts))
        topics[entry.section(QLatin1Char('='), 0, 0).toStdString()] = entry.section(QLatin1Char('='), 1).toInt();
    return topics;
}

// "C0[t0-0 t0-1] C1[]": readable in a failure message.
QString describe(const Assignment& assignment)
{
    QStringList members;
    for (const auto& [memberId, partitions] : assignment) {
        QStringList names;
        for (const TopicPartition& partition : partitions)
            names.append(QString::fromStdString(toString(partition)));
        members.append(QString::fromStdString(memberId) + QLatin1Char('[') + names.join(QLatin1Char(' '))
            + QLatin1Char(']'));
    }
    return members.join(QLatin1Char(' '));
}

struct Shape {
    std::vector<MemberSubscription> members;
    std::map<std::string, std::int32_t> partitionsPerTopic;
    bool sameSubscriptions = false;
};

// A random group: 1-8 members, 1-5 topics of 0-12 partitions, some topics without metadata, some
// static members. Every third shape subscribes everyone to the same topics.
Shape randomShape(brokerlab::sim::Rng& rng)
{
    Shape shape;
    const auto topicCount = rng.uniformInt(1, 5);
    std::vector<std::string> topics;
    for (std::int64_t t = 0; t < topicCount; ++t) {
        topics.push_back("topic-" + std::to_string(t));
        if (!rng.bernoulli(0.1)) // else: no metadata for it yet
            shape.partitionsPerTopic[topics.back()] = static_cast<std::int32_t>(rng.uniformInt(0, 12));
    }
    shape.sameSubscriptions = rng.bernoulli(0.34);
    std::vector<std::string> common;
    for (const std::string& topic : topics) {
        if (rng.bernoulli(0.6))
            common.push_back(topic);
    }
    if (common.empty())
        common.push_back(topics.front());

    const auto memberCount = rng.uniformInt(1, 8);
    for (std::int64_t m = 0; m < memberCount; ++m) {
        MemberSubscription member;
        member.memberId = "consumer-" + std::to_string(rng.uniformInt(0, 9999)) + "-" + std::to_string(m);
        if (rng.bernoulli(0.3))
            member.groupInstanceId = "instance-" + std::to_string(rng.uniformInt(0, 99)) + "-" + std::to_string(m);
        if (shape.sameSubscriptions) {
            member.topics = common;
        } else {
            for (const std::string& topic : topics) {
                if (rng.bernoulli(0.5))
                    member.topics.push_back(topic);
            }
        }
        shape.members.push_back(std::move(member));
    }
    return shape;
}

bool subscribes(const MemberSubscription& member, const std::string& topic)
{
    return std::find(member.topics.begin(), member.topics.end(), topic) != member.topics.end();
}

} // namespace

class TestAssignor : public QObject {
    Q_OBJECT

private slots:
    void range_data();
    void range();
    void roundRobin_data();
    void roundRobin();
    void invariantsOverManyShapes_data();
    void invariantsOverManyShapes();
    void assignDispatchesByKind();
    void names_data();
    void names();
    void rebalanceProtocols();
};

void TestAssignor::range_data()
{
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<QString>("topics");
    QTest::addColumn<QString>("expected");
    // RangeAssignor's own documentation example.
    QTest::addRow("two consumers, two topics of three")
        << QStringList { QStringLiteral("C0:t0,t1"), QStringLiteral("C1:t0,t1") } << QStringLiteral("t0=3,t1=3")
        << QStringLiteral("C0[t0-0 t0-1 t1-0 t1-1] C1[t0-2 t1-2]");
    QTest::addRow("one consumer, one topic")
        << QStringList { QStringLiteral("C0:t0") } << QStringLiteral("t0=3") << QStringLiteral("C0[t0-0 t0-1 t0-2]");
    QTest::addRow("only subscribed topics")
        << QStringList { QStringLiteral("C0:t0") } << QStringLiteral("t0=3,t1=2")
        << QStringLiteral("C0[t0-0 t0-1 t0-2]");
    QTest::addRow("topic without metadata")
        << QStringList { QStringLiteral("C0:t0,missing") } << QStringLiteral("t0=1") << QStringLiteral("C0[t0-0]");
    QTest::addRow("no metadata at all")
        << QStringList { QStringLiteral("C0:t0") } << QString() << QStringLiteral("C0[]");
    QTest::addRow("topic with no partitions")
        << QStringList { QStringLiteral("C0:t0") } << QStringLiteral("t0=0") << QStringLiteral("C0[]");
    QTest::addRow("more consumers than partitions")
        << QStringList { QStringLiteral("C0:t0"), QStringLiteral("C1:t0") } << QStringLiteral("t0=1")
        << QStringLiteral("C0[t0-0] C1[]");
    QTest::addRow("two consumers, two partitions")
        << QStringList { QStringLiteral("C0:t0"), QStringLiteral("C1:t0") } << QStringLiteral("t0=2")
        << QStringLiteral("C0[t0-0] C1[t0-1]");
    // RangeAssignorTest's mixed subscriptions.
    QTest::addRow("mixed subscriptions")
        << QStringList { QStringLiteral("c1:t1"), QStringLiteral("c2:t1,t2"), QStringLiteral("c3:t1") }
        << QStringLiteral("t1=3,t2=2") << QStringLiteral("c1[t1-0] c2[t1-1 t2-0 t2-1] c3[t1-2]");
    QTest::addRow("uneven: first members get the extra")
        << QStringList { QStringLiteral("b:t"), QStringLiteral("a:t"), QStringLiteral("c:t") } << QStringLiteral("t=7")
        << QStringLiteral("a[t-0 t-1 t-2] b[t-3 t-4] c[t-5 t-6]");
    // Member ids sort as strings, not numbers.
    QTest::addRow("string order of member ids")
        << QStringList { QStringLiteral("consumer-10:t"), QStringLiteral("consumer-9:t") } << QStringLiteral("t=2")
        << QStringLiteral("consumer-10[t-0] consumer-9[t-1]");
    // MemberInfo order: static members first, by group.instance.id, then dynamic ones by member id.
    QTest::addRow("static members first")
        << QStringList { QStringLiteral("m-a:t0"), QStringLiteral("m-b/i-1:t0"), QStringLiteral("m-c/i-0:t0") }
        << QStringLiteral("t0=3") << QStringLiteral("m-a[t0-2] m-b[t0-1] m-c[t0-0]");
    QTest::addRow("repeated member id keeps the first")
        << QStringList { QStringLiteral("C0:t0"), QStringLiteral("C0:t1") } << QStringLiteral("t0=2,t1=2")
        << QStringLiteral("C0[t0-0 t0-1]");
}

void TestAssignor::range()
{
    QFETCH(QStringList, members);
    QFETCH(QString, topics);
    QFETCH(QString, expected);
    QCOMPARE(describe(assignRange(parseMembers(members), parseTopics(topics))), expected);
}

void TestAssignor::roundRobin_data()
{
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<QString>("topics");
    QTest::addColumn<QString>("expected");
    // RoundRobinAssignor's documentation examples.
    QTest::addRow("same subscriptions")
        << QStringList { QStringLiteral("C0:t0,t1"), QStringLiteral("C1:t0,t1") } << QStringLiteral("t0=3,t1=3")
        << QStringLiteral("C0[t0-0 t0-2 t1-1] C1[t0-1 t1-0 t1-2]");
    QTest::addRow("different subscriptions")
        << QStringList { QStringLiteral("C0:t0"), QStringLiteral("C1:t0,t1"), QStringLiteral("C2:t0,t1,t2") }
        << QStringLiteral("t0=1,t1=2,t2=3") << QStringLiteral("C0[t0-0] C1[t1-0] C2[t1-1 t2-0 t2-1 t2-2]");
    QTest::addRow("one consumer, missing topic")
        << QStringList { QStringLiteral("C0:t0") } << QStringLiteral("t1=2") << QStringLiteral("C0[]");
    // The cursor carries over between topics instead of restarting at the first member.
    QTest::addRow("cursor continues across topics")
        << QStringList { QStringLiteral("C0:a,b"), QStringLiteral("C1:a,b"), QStringLiteral("C2:a,b") }
        << QStringLiteral("a=2,b=2") << QStringLiteral("C0[a-0 b-1] C1[a-1] C2[b-0]");
    QTest::addRow("static members first")
        << QStringList { QStringLiteral("m-a:t0"), QStringLiteral("m-b/i-1:t0"), QStringLiteral("m-c/i-0:t0") }
        << QStringLiteral("t0=4") << QStringLiteral("m-a[t0-2] m-b[t0-1] m-c[t0-0 t0-3]");
}

void TestAssignor::roundRobin()
{
    QFETCH(QStringList, members);
    QFETCH(QString, topics);
    QFETCH(QString, expected);
    QCOMPARE(describe(assignRoundRobin(parseMembers(members), parseTopics(topics))), expected);
}

void TestAssignor::invariantsOverManyShapes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addRow("range") << static_cast<int>(AssignorKind::Range);
    QTest::addRow("roundrobin") << static_cast<int>(AssignorKind::RoundRobin);
}

void TestAssignor::invariantsOverManyShapes()
{
    QFETCH(int, kind);
    const auto assignor = static_cast<AssignorKind>(kind);
    brokerlab::sim::Rng rng(2024);
    for (int round = 0; round < 500; ++round) {
        const Shape shape = randomShape(rng);
        const AssignResult result = assign(assignor, shape.members, shape.partitionsPerTopic);
        QVERIFY(result.ok());
        const Assignment& assignment = result.assignment;
        const QString context = QStringLiteral("round %1: %2").arg(round).arg(describe(assignment));

        // Every member has an entry, and nobody else does.
        QCOMPARE(assignment.size(), shape.members.size());
        std::map<std::string, const MemberSubscription*> byId;
        for (const MemberSubscription& member : shape.members) {
            byId[member.memberId] = &member;
            QVERIFY2(assignment.count(member.memberId) == 1, qPrintable(context));
        }

        // Each partition of each subscribed topic with metadata goes to exactly one subscriber.
        std::set<std::string> subscribed;
        for (const MemberSubscription& member : shape.members)
            subscribed.insert(member.topics.begin(), member.topics.end());
        std::map<TopicPartition, int> owners;
        for (const auto& [memberId, partitions] : assignment) {
            QVERIFY2(std::is_sorted(partitions.begin(), partitions.end()), qPrintable(context));
            for (const TopicPartition& partition : partitions) {
                QVERIFY2(subscribes(*byId.at(memberId), partition.topic), qPrintable(context));
                ++owners[partition];
            }
        }
        std::size_t expectedPartitions = 0;
        for (const auto& [topic, count] : shape.partitionsPerTopic) {
            if (!subscribed.count(topic))
                continue;
            for (std::int32_t p = 0; p < count; ++p) {
                QVERIFY2((owners[TopicPartition { topic, p }] == 1), qPrintable(context));
                ++expectedPartitions;
            }
        }
        QCOMPARE(owners.size(), expectedPartitions);

        // Balance: range is even per topic; roundrobin is even overall when subscriptions match.
        if (assignor == AssignorKind::Range) {
            for (const auto& [topic, count] : shape.partitionsPerTopic) {
                int fewest = std::numeric_limits<int>::max();
                int most = 0;
                for (const auto& [memberId, partitions] : assignment) {
                    if (!subscribes(*byId.at(memberId), topic))
                        continue;
                    const auto mine = static_cast<int>(std::count_if(partitions.begin(), partitions.end(),
                        [&topic = topic](const TopicPartition& partition) { return partition.topic == topic; }));
                    fewest = std::min(fewest, mine);
                    most = std::max(most, mine);
                }
                if (most > 0)
                    QVERIFY2(most - fewest <= 1, qPrintable(context));
            }
        } else if (shape.sameSubscriptions) {
            std::size_t fewest = std::numeric_limits<std::size_t>::max();
            std::size_t most = 0;
            for (const auto& [memberId, partitions] : assignment) {
                fewest = std::min(fewest, partitions.size());
                most = std::max(most, partitions.size());
            }
            QVERIFY2(most - fewest <= 1, qPrintable(context));
        }

        // Kafka receives members as a map: the order we list them in must not matter.
        std::vector<MemberSubscription> reversed(shape.members.rbegin(), shape.members.rend());
        QCOMPARE(describe(assign(assignor, reversed, shape.partitionsPerTopic).assignment), describe(assignment));
    }
}

void TestAssignor::assignDispatchesByKind()
{
    const std::vector<MemberSubscription> members
        = parseMembers({ QStringLiteral("C0:t0,t1"), QStringLiteral("C1:t0,t1") });
    const auto topics = parseTopics(QStringLiteral("t0=3,t1=3"));
    QCOMPARE(describe(assign(AssignorKind::Range, members, topics).assignment), describe(assignRange(members, topics)));
    QCOMPARE(describe(assign(AssignorKind::RoundRobin, members, topics).assignment),
        describe(assignRoundRobin(members, topics)));

    for (const AssignorKind kind : { AssignorKind::Sticky, AssignorKind::CooperativeSticky }) {
        const AssignResult result = assign(kind, members, topics);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(isSupported(kind));
    }
    QVERIFY(isSupported(AssignorKind::Range));
    QVERIFY(isSupported(AssignorKind::RoundRobin));
}

void TestAssignor::names_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");
    // partition.assignment.strategy's names in Kafka.
    QTest::addRow("range") << static_cast<int>(AssignorKind::Range) << QStringLiteral("range");
    QTest::addRow("roundrobin") << static_cast<int>(AssignorKind::RoundRobin) << QStringLiteral("roundrobin");
    QTest::addRow("sticky") << static_cast<int>(AssignorKind::Sticky) << QStringLiteral("sticky");
    QTest::addRow("cooperative-sticky") << static_cast<int>(AssignorKind::CooperativeSticky)
                                        << QStringLiteral("cooperative-sticky");
}

void TestAssignor::names()
{
    QFETCH(int, kind);
    QFETCH(QString, name);
    const auto assignor = static_cast<AssignorKind>(kind);
    QCOMPARE(QString::fromStdString(std::string(assignorName(assignor))), name);
    QCOMPARE(assignorFromName(name.toStdString()), std::optional<AssignorKind>(assignor));
    QCOMPARE(assignorFromName(name.toUpper().toStdString()), std::nullopt);
    QCOMPARE(assignorFromName(""), std::nullopt);
    QCOMPARE(assignorFromName("round-robin"), std::nullopt);
}

void TestAssignor::rebalanceProtocols()
{
    const std::vector<RebalanceProtocol> eagerOnly { RebalanceProtocol::Eager };
    QVERIFY(supportedProtocols(AssignorKind::Range) == eagerOnly);
    QVERIFY(supportedProtocols(AssignorKind::RoundRobin) == eagerOnly);
    QVERIFY(supportedProtocols(AssignorKind::Sticky) == eagerOnly);
    const std::vector<RebalanceProtocol> both { RebalanceProtocol::Eager, RebalanceProtocol::Cooperative };
    QVERIFY(supportedProtocols(AssignorKind::CooperativeSticky) == both);
}

QTEST_GUILESS_MAIN(TestAssignor)
#include "test_assignor.moc"
