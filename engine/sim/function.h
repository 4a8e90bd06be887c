#pragma once
// A move-only callable (std::move_only_function arrives only in C++23). Events and network
// deliveries capture move-only payloads such as request bodies, so std::function will not do.

#include <memory>
#include <type_traits>
#include <utility>

namespace brokerlab::sim {

template <typename Signature>
class UniqueFunction;

template <typename R, typename... Args>
class UniqueFunction<R(Args...)> {
public:
    UniqueFunction() = default;
    template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, UniqueFunction>>>
    UniqueFunction(F&& f) // NOLINT(google-explicit-constructor): used like std::function
        : callable_(std::make_unique<Model<std::decay_t<F>>>(std::forward<F>(f)))
    {
    }
    UniqueFunction(UniqueFunction&&) noexcept = default;
    UniqueFunction& operator=(UniqueFunction&&) noexcept = default;

    explicit operator bool() const { return callable_ != nullptr; }
    R operator()(Args... args) { return callable_->call(std::forward<Args>(args)...); }

private:
    struct Concept {
        virtual ~Concept() = default;
        virtual R call(Args... args) = 0;
    };
    template <typename F>
    struct Model final : Concept {
        explicit Model(F&& f) : fn(std::move(f)) { }
        explicit Model(const F& f) : fn(f) { }
        R call(Args... args) override { return fn(std::forward<Args>(args)...); }
        F fn;
    };
    std::unique_ptr<Concept> callable_;
};

} // namespace brokerlab::sim
