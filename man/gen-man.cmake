cmake_minimum_required(VERSION 3.18)
# Fills a man page template: @VERSION@, @DATE@, @SYSCONFDIR@ and, when NCPD is given,
# @OPTIONS@ with the output of `ncpd config options --format roff` (the option table).
#   cmake -DIN=x.in -DOUT=x -DVERSION=v -DDATE=d [-DNCPD=path] [-DSYSCONFDIR=/etc] -P gen-man.cmake
file(READ "${IN}" text)
if(NCPD)
  execute_process(COMMAND "${NCPD}" config options --format roff
                  OUTPUT_VARIABLE options RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NCPD} config options --format roff failed: ${rc}")
  endif()
  string(REPLACE "@OPTIONS@\n" "${options}" text "${text}")
endif()
if(NOT SYSCONFDIR)
  set(SYSCONFDIR "/etc")
endif()
string(REPLACE "@VERSION@" "${VERSION}" text "${text}")
string(REPLACE "@DATE@" "${DATE}" text "${text}")
string(REPLACE "@SYSCONFDIR@" "${SYSCONFDIR}" text "${text}")
file(WRITE "${OUT}.tmp" "${text}")
file(RENAME "${OUT}.tmp" "${OUT}")
