# install() + a package config so another project can find_package(chase) and link chase::<layer>.
include(CMakePackageConfigHelpers)

get_property(chase_layers GLOBAL PROPERTY CHASE_LAYERS)
install(TARGETS ${chase_layers} EXPORT chaseTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chase)
if(TARGET chase)
  install(TARGETS chase RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET chased)
  install(TARGETS chased RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chase
  FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/chase)

set(chase_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/chase)
install(EXPORT chaseTargets NAMESPACE chase:: DESTINATION ${chase_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/chaseConfig.cmake.in
  ${PROJECT_BINARY_DIR}/chaseConfig.cmake INSTALL_DESTINATION ${chase_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/chaseConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/chaseConfig.cmake ${PROJECT_BINARY_DIR}/chaseConfigVersion.cmake
  DESTINATION ${chase_cmake_dir})
