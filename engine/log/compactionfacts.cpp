#include "log/compactionfacts.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace brokerlab::log {

CompactionFacts compactionFacts(const PartitionLog& log)
{
    CompactionFacts facts;
    std::unordered_map<std::string, std::int64_t> perKey; // only counted, never listed
    RecordReader reader;
    RecordView record;
    const auto& segments = log.segments();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const bool active = i + 1 == segments.size();
        if (!active)
            ++facts.closedSegments;
        Segment::Cursor batches = segments[i]->cursor();
        while (batches.next()) {
            if (batches.header().isControl() || reader.open(batches.batch()) != BatchError::None)
                continue;
            while (reader.next(record)) {
                if (active) {
                    ++facts.activeRecords;
                    facts.activeTombstones += record.nullValue ? 1 : 0;
                    continue;
                }
                ++facts.records;
                facts.tombstones += record.nullValue ? 1 : 0;
                if (!record.nullKey) {
                    const std::int64_t count = ++perKey[std::string(record.keyView())];
                    facts.maxRecordsPerKey = std::max(facts.maxRecordsPerKey, count);
                }
            }
        }
    }
    facts.keys = static_cast<std::int64_t>(perKey.size());
    return facts;
}

} // namespace brokerlab::log
