#pragma once
// Record bytes shared between a leader's log, the fetch answers read from it and its followers'
// logs, so that replication stores and carries one copy of each batch instead of one per replica.
//
// A ByteBlock is one allocation. Its writer (the segment that allocated it) only ever appends at
// fill(); bytes below fill() never change while anyone else holds the block. Whoever needs
// different bytes (a corrupt-byte fault) copies them into a block of its own first. Readers on
// other threads (the wire thread encoding a fetch answer) may therefore hold a block while the sim
// thread appends to it.

#include "log/record.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace brokerlab::log {

class ByteBlock {
public:
    explicit ByteBlock(std::size_t capacity);
    ~ByteBlock();
    ByteBlock(const ByteBlock&) = delete;
    ByteBlock& operator=(const ByteBlock&) = delete;

    const std::uint8_t* data() const { return data_; }
    std::size_t capacity() const { return capacity_; }
    std::size_t fill() const { return fill_; }

    // Writer only: room at fill(), then how much of it was written.
    std::uint8_t* writableEnd() { return data_ + fill_; }
    void advance(std::size_t bytes) { fill_ += bytes; }
    // Writer only, and only while nobody else holds the block (the bytes may move):
    // changes the capacity in place or by moving; throws std::bad_alloc.
    void resize(std::size_t capacity);
    // Writer only, while nobody else holds the block: forgets bytes past `fill` (a truncation).
    void rewind(std::size_t fill) { fill_ = fill; }
    // Writer only: maps the pages between fill() and `end` (at most capacity()) at once, ahead of
    // writing there (see Segment); pages this block has mapped so before are not asked for again.
    void prefault(std::size_t end);

private:
    std::uint8_t* data_ = nullptr;
    std::size_t capacity_ = 0;
    std::size_t fill_ = 0;
    std::size_t prefaulted_ = 0; // prefault() has mapped the pages below this (a hint, never a promise)
};

// A contiguous run of whole batches and the block that keeps it alive. Copying one copies a
// pointer, never the bytes.
class SharedRecords {
public:
    SharedRecords() = default;
    // Takes a copy of `bytes` into a block of its own (tests, decoders, concatenated reads).
    SharedRecords(std::span<const std::uint8_t> bytes); // NOLINT(google-explicit-constructor)
    SharedRecords(const Bytes& bytes) // NOLINT(google-explicit-constructor)
        : SharedRecords(std::span<const std::uint8_t>(bytes))
    {
    }
    SharedRecords(std::shared_ptr<const ByteBlock> block, std::size_t offset, std::size_t size);

    std::span<const std::uint8_t> span() const { return bytes_; }
    operator std::span<const std::uint8_t>() const { return bytes_; } // NOLINT(google-explicit-constructor)
    const std::uint8_t* data() const { return bytes_.data(); }
    std::size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }
    auto begin() const { return bytes_.begin(); }
    auto end() const { return bytes_.end(); }
    Bytes toBytes() const { return Bytes(bytes_.begin(), bytes_.end()); }
    bool operator==(const SharedRecords& other) const;

    // Where the bytes live, so that a follower's log can hold the same block.
    const std::shared_ptr<const ByteBlock>& block() const { return block_; }

private:
    std::shared_ptr<const ByteBlock> block_;
    std::span<const std::uint8_t> bytes_;
};

} // namespace brokerlab::log
