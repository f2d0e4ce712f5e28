# cmake -DPROGRAM=<exe> -DNAME=<name> -DVERSION=<x.y.z> -DDESCRIPTION=<one line> -DOUT=<file.1.gz> [-DHELP2MAN=<help2man>]
#       [-DGZIP=<gzip>] [-DSUBCOMMANDS=ON] -P man_page.cmake
# Writes the program's man page from its own --help, so the page cannot drift from the program.
# With SUBCOMMANDS, each verb listed under "Subcommands:" gets its own --help in a COMMANDS section.
# help2man makes the page when it is installed; otherwise a plain page is written here.
cmake_minimum_required(VERSION 3.25)
set(ENV{QT_QPA_PLATFORM} offscreen)   # the GUI's --help builds a QApplication; no display needed
set(ENV{LC_ALL} C.UTF-8)
# Run by name through PATH: the page then says "phototune ...", not the build folder's path.
get_filename_component(program_dir "${PROGRAM}" DIRECTORY)
set(ENV{PATH} "${program_dir}:$ENV{PATH}")

execute_process(COMMAND "${NAME}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help failed (${rc})")
endif()

set(commands "")
if(SUBCOMMANDS)
  string(REGEX REPLACE ".*\nSubcommands:\n" "" listing "${help}")
  string(REPLACE "\n" ";" lines "${listing}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z][a-z0-9-]*) ")
      set(verb "${CMAKE_MATCH_1}")
      execute_process(COMMAND "${NAME}" ${verb} --help OUTPUT_VARIABLE verb_help RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} ${verb} --help failed (${rc})")
      endif()
      # roff: a leading dot or quote would be read as a request; backslashes must be doubled.
      string(REPLACE "\\" "\\\\" verb_help "${verb_help}")
      string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" verb_help "${verb_help}")
      string(APPEND commands ".SS ${verb}\n.nf\n${verb_help}.fi\n")
    endif()
  endforeach()
endif()

get_filename_component(out_dir "${OUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
if(HELP2MAN)
  set(include_option "")
  if(commands)
    file(WRITE "${page}.h2m" "[COMMANDS]\nEach command's own --help:\n${commands}")
    set(include_option "--include=${page}.h2m")
  endif()
  # --version-string: the full --version names this machine's BLAS and resources, not for a page.
  execute_process(COMMAND "${HELP2MAN}" --no-info --section=1 --name=${DESCRIPTION}
                          "--version-string=${NAME} ${VERSION}" ${include_option} --output=${page} "${NAME}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed on ${PROGRAM} (${rc})")
  endif()
else()
  string(TOUPPER "${NAME}" title)
  string(REPLACE "\\" "\\\\" body "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" body "${body}")
  file(WRITE "${page}" ".TH ${title} 1\n.SH NAME\n${NAME} \\- ${DESCRIPTION}\n.SH DESCRIPTION\n.nf\n${body}.fi\n")
  if(commands)
    file(APPEND "${page}" ".SH COMMANDS\n${commands}")
  endif()
endif()

# Debian wants man pages compressed with gzip -9n (no name or time stamp, reproducible).
if(GZIP)
  file(REMOVE "${OUT}")
  execute_process(COMMAND "${GZIP}" -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed on ${page}")
  endif()
endif()
