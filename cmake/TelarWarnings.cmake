# telar::warnings — an interface target carrying the project's warning flags.
add_library(telar_warnings INTERFACE)
add_library(telar::warnings ALIAS telar_warnings)
target_compile_options(telar_warnings INTERFACE
  -Wall -Wextra -Wpedantic $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wno-unused-parameter)
if(TELAR_WARNINGS_AS_ERRORS)
  target_compile_options(telar_warnings INTERFACE -Werror)
endif()
if(TELAR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
