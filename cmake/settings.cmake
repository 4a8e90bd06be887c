# Compile settings shared by every Brokerlab target: link brokerlab_settings.
add_library(brokerlab_settings INTERFACE)
add_library(Brokerlab::settings ALIAS brokerlab_settings)
target_compile_features(brokerlab_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(brokerlab_settings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
    # Designated initializers leave members at their defaults on purpose.
    -Wno-missing-field-initializers
    # GCC 12 reports false -Wrestrict positives inside libstdc++ string code at -O2 (GCC bug 105329).
    -Wno-restrict)
if(BROKERLAB_WERROR)
    target_compile_options(brokerlab_settings INTERFACE -Werror)
endif()
target_compile_definitions(brokerlab_settings INTERFACE QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
if(BROKERLAB_SANITIZE)
    target_compile_options(brokerlab_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(brokerlab_settings INTERFACE -fsanitize=address,undefined)
endif()

# brokerlab_engine_library(NAME SOURCES ... DEPENDS ...): one static library per engine sub-library.
function(brokerlab_engine_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    add_library(brokerlab_${name} STATIC ${ARG_SOURCES})
    add_library(Brokerlab::${name} ALIAS brokerlab_${name})
    target_include_directories(brokerlab_${name} PUBLIC ${PROJECT_SOURCE_DIR}/engine)
    target_link_libraries(brokerlab_${name} PUBLIC brokerlab_settings ${ARG_DEPENDS})
endfunction()
