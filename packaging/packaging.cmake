# Installation layout and the Debian package (`cpack -G DEB` in a build directory).
# Included at the end of the top-level CMakeLists.txt, after every target exists.
include(GNUInstallDirs)

set(BROKERLAB_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})

# Desktop integration only makes sense with the GUI.
if(BROKERLAB_BUILD_GUI)
    install(FILES ${BROKERLAB_PACKAGING_DIR}/io.brokerlab.Brokerlab.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${BROKERLAB_PACKAGING_DIR}/io.brokerlab.Brokerlab.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${BROKERLAB_PACKAGING_DIR}/icons/io.brokerlab.Brokerlab.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

# The built-in scenarios, so that `brokerlab-cli run /usr/share/brokerlab/scenarios/demo.json` works after install.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/scenarios/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/brokerlab/scenarios
    FILES_MATCHING PATTERN "*.json")

# Debian keeps the licence of a package in /usr/share/doc/<package>/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/brokerlab RENAME copyright)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME brokerlab)
set(CPACK_PACKAGE_VENDOR "Brokerlab developers")
set(CPACK_PACKAGE_CONTACT "Brokerlab developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The long description under the summary line, wrapped for Debian's control file (CPack indents it).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Brokerlab runs a multi-broker Apache Kafka cluster inside one process on a\n"
    "virtual clock: brokers that store RecordBatch bytes, followers that fetch,\n"
    "a controller that elects leaders, producers and consumer groups. Faults can\n"
    "be injected, and every run can be reproduced from its seed.\n"
    "\n"
    "The package contains brokerlab-cli, which runs scenario files headless and\n"
    "reports what happened, and the brokerlab desktop application when it was\n"
    "built. It is a lab for learning and experiments, not a Kafka server.")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Brokerlab developers")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps finds the libraries the binaries link; the plugins Qt loads at run time are listed by hand below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(BROKERLAB_RUNTIME_PLUGINS)
if(TARGET brokerlab_store)
    list(APPEND BROKERLAB_RUNTIME_PLUGINS libqt6sql6-sqlite) # the QSQLITE driver
endif()
if(BROKERLAB_BUILD_GUI)
    # The xcb platform plugin: libqt6gui6 only recommends it.
    list(APPEND BROKERLAB_RUNTIME_PLUGINS qt6-qpa-plugins)
endif()
list(JOIN BROKERLAB_RUNTIME_PLUGINS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/out/" "/\\\\.cache/")

include(CPack)
