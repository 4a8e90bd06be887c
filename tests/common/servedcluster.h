#pragma once
// A scenario's engine running paced behind Kafka listeners on ports the system picks, as `brokerlab-cli serve` runs
// it, for tests that talk to it over sockets. Check start() (QVERIFY2 with the error) before connecting.

#include "driver/driver.h"
#include "scenario/scenario.h"
#include "wire/wireserver.h"

#include <string>

namespace brokerlab::test {

class ServedCluster {
public:
    explicit ServedCluster(const scenario::Scenario& scenario)
        : driver_(scenario, 1)
        , server_(driver_, freePorts())
    {
        driver_.start(driver::PacingMode::Paced);
    }

    // Opens the listeners; false with `error` set when one cannot be opened.
    bool start(std::string& error) { return server_.start(error); }

    driver::Driver& driver() { return driver_; }
    wire::WireServer& server() { return server_; }

private:
    static wire::WireServerOptions freePorts()
    {
        wire::WireServerOptions options;
        options.portBase = 0;
        return options;
    }

    driver::Driver driver_; // declared first: the listeners close before the engine stops
    wire::WireServer server_;
};

} // namespace brokerlab::test
