#pragma once
// The part of NVIDIA's NVML C API that chase uses, declared from NVIDIA's documentation
// (Debian main ships no nvml.h). Only the ABI matters: return codes are the values of the
// nvmlReturn_t enum (an int), a device handle is an opaque pointer, power is in milliwatts and
// energy in millijoules. The fake library in tests/fake_nvml exports the same entry points.

namespace chase::nvml {

// nvmlReturn_t values.
using Return = int;
inline constexpr Return kSuccess = 0;
inline constexpr Return kErrorUninitialized = 1;
inline constexpr Return kErrorInvalidArgument = 2;
inline constexpr Return kErrorNotSupported = 3;
inline constexpr Return kErrorNoPermission = 4;
inline constexpr Return kErrorAlreadyInitialized = 5;
inline constexpr Return kErrorNotFound = 6;
inline constexpr Return kErrorInsufficientSize = 7;
inline constexpr Return kErrorInsufficientPower = 8;
inline constexpr Return kErrorDriverNotLoaded = 9;
inline constexpr Return kErrorTimeout = 10;
inline constexpr Return kErrorIrqIssue = 11;
inline constexpr Return kErrorLibraryNotFound = 12;
inline constexpr Return kErrorFunctionNotFound = 13;
inline constexpr Return kErrorCorruptedInforom = 14;
inline constexpr Return kErrorGpuIsLost = 15;
inline constexpr Return kErrorResetRequired = 16;
inline constexpr Return kErrorOperatingSystem = 17;
inline constexpr Return kErrorLibRmVersionMismatch = 18;
inline constexpr Return kErrorInUse = 19;
inline constexpr Return kErrorMemory = 20;
inline constexpr Return kErrorNoData = 21;
inline constexpr Return kErrorUnknown = 999;

// The enumerators' names in nvml.h, for error messages (and for the fake's fixtures).
struct ReturnCodeName {
  Return code;
  const char* name;
};
inline constexpr ReturnCodeName kReturnCodeNames[] = {
    {kSuccess, "NVML_SUCCESS"},
    {kErrorUninitialized, "NVML_ERROR_UNINITIALIZED"},
    {kErrorInvalidArgument, "NVML_ERROR_INVALID_ARGUMENT"},
    {kErrorNotSupported, "NVML_ERROR_NOT_SUPPORTED"},
    {kErrorNoPermission, "NVML_ERROR_NO_PERMISSION"},
    {kErrorAlreadyInitialized, "NVML_ERROR_ALREADY_INITIALIZED"},
    {kErrorNotFound, "NVML_ERROR_NOT_FOUND"},
    {kErrorInsufficientSize, "NVML_ERROR_INSUFFICIENT_SIZE"},
    {kErrorInsufficientPower, "NVML_ERROR_INSUFFICIENT_POWER"},
    {kErrorDriverNotLoaded, "NVML_ERROR_DRIVER_NOT_LOADED"},
    {kErrorTimeout, "NVML_ERROR_TIMEOUT"},
    {kErrorIrqIssue, "NVML_ERROR_IRQ_ISSUE"},
    {kErrorLibraryNotFound, "NVML_ERROR_LIBRARY_NOT_FOUND"},
    {kErrorFunctionNotFound, "NVML_ERROR_FUNCTION_NOT_FOUND"},
    {kErrorCorruptedInforom, "NVML_ERROR_CORRUPTED_INFOROM"},
    {kErrorGpuIsLost, "NVML_ERROR_GPU_IS_LOST"},
    {kErrorResetRequired, "NVML_ERROR_RESET_REQUIRED"},
    {kErrorOperatingSystem, "NVML_ERROR_OPERATING_SYSTEM"},
    {kErrorLibRmVersionMismatch, "NVML_ERROR_LIB_RM_VERSION_MISMATCH"},
    {kErrorInUse, "NVML_ERROR_IN_USE"},
    {kErrorMemory, "NVML_ERROR_MEMORY"},
    {kErrorNoData, "NVML_ERROR_NO_DATA"},
    {kErrorUnknown, "NVML_ERROR_UNKNOWN"},
};

// "NVML_ERROR_NOT_SUPPORTED", or nullptr for a code this header does not know.
inline const char* return_code_name(Return code) {
  for (const auto& entry : kReturnCodeNames) {
    if (entry.code == code) return entry.name;
  }
  return nullptr;
}

// nvmlDevice_t: a pointer to a struct only the library knows.
struct DeviceOpaque;
using Device = DeviceOpaque*;

// NVML_DEVICE_NAME_V2_BUFFER_SIZE, NVML_DEVICE_UUID_V2_BUFFER_SIZE,
// NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE.
inline constexpr unsigned kDeviceNameBufferSize = 96;
inline constexpr unsigned kDeviceUuidBufferSize = 96;
inline constexpr unsigned kDriverVersionBufferSize = 80;

// Entry points, in the order of the table below. Signatures as documented by NVIDIA.
extern "C" {
using InitFn = Return (*)();                                         // nvmlInit_v2
using ShutdownFn = Return (*)();                                     // nvmlShutdown
using ErrorStringFn = const char* (*)(Return);                       // nvmlErrorString
using SystemGetDriverVersionFn = Return (*)(char*, unsigned);        // nvmlSystemGetDriverVersion
using DeviceGetCountFn = Return (*)(unsigned*);                      // nvmlDeviceGetCount_v2
using DeviceGetHandleByIndexFn = Return (*)(unsigned, Device*);      // nvmlDeviceGetHandleByIndex_v2
using DeviceGetNameFn = Return (*)(Device, char*, unsigned);         // nvmlDeviceGetName
using DeviceGetUuidFn = Return (*)(Device, char*, unsigned);         // nvmlDeviceGetUUID
using DeviceGetTotalEnergyConsumptionFn = Return (*)(Device, unsigned long long*);  // mJ
using DeviceGetPowerUsageFn = Return (*)(Device, unsigned*);                        // mW
using DeviceGetPowerManagementLimitFn = Return (*)(Device, unsigned*);              // mW
using DeviceGetPowerManagementLimitConstraintsFn = Return (*)(Device, unsigned*, unsigned*);  // mW
using DeviceGetPowerManagementDefaultLimitFn = Return (*)(Device, unsigned*);       // mW
using DeviceSetPowerManagementLimitFn = Return (*)(Device, unsigned);               // mW, needs root
}

// The resolved entry points of one loaded library.
struct EntryPoints {
  InitFn init = nullptr;
  ShutdownFn shutdown = nullptr;
  ErrorStringFn error_string = nullptr;
  SystemGetDriverVersionFn system_get_driver_version = nullptr;
  DeviceGetCountFn device_get_count = nullptr;
  DeviceGetHandleByIndexFn device_get_handle_by_index = nullptr;
  DeviceGetNameFn device_get_name = nullptr;
  DeviceGetUuidFn device_get_uuid = nullptr;
  DeviceGetTotalEnergyConsumptionFn device_get_total_energy_consumption = nullptr;  // optional: null if absent
  DeviceGetPowerUsageFn device_get_power_usage = nullptr;
  DeviceGetPowerManagementLimitFn device_get_power_management_limit = nullptr;
  DeviceGetPowerManagementLimitConstraintsFn device_get_power_management_limit_constraints = nullptr;
  DeviceGetPowerManagementDefaultLimitFn device_get_power_management_default_limit = nullptr;
  DeviceSetPowerManagementLimitFn device_set_power_management_limit = nullptr;
};

// The exported symbol of each entry point, as dlsym must find it.
inline constexpr const char* kInitSymbol = "nvmlInit_v2";
inline constexpr const char* kShutdownSymbol = "nvmlShutdown";
inline constexpr const char* kErrorStringSymbol = "nvmlErrorString";
inline constexpr const char* kSystemGetDriverVersionSymbol = "nvmlSystemGetDriverVersion";
inline constexpr const char* kDeviceGetCountSymbol = "nvmlDeviceGetCount_v2";
inline constexpr const char* kDeviceGetHandleByIndexSymbol = "nvmlDeviceGetHandleByIndex_v2";
inline constexpr const char* kDeviceGetNameSymbol = "nvmlDeviceGetName";
inline constexpr const char* kDeviceGetUuidSymbol = "nvmlDeviceGetUUID";
inline constexpr const char* kDeviceGetTotalEnergyConsumptionSymbol = "nvmlDeviceGetTotalEnergyConsumption";
inline constexpr const char* kDeviceGetPowerUsageSymbol = "nvmlDeviceGetPowerUsage";
inline constexpr const char* kDeviceGetPowerManagementLimitSymbol = "nvmlDeviceGetPowerManagementLimit";
inline constexpr const char* kDeviceGetPowerManagementLimitConstraintsSymbol =
    "nvmlDeviceGetPowerManagementLimitConstraints";
inline constexpr const char* kDeviceGetPowerManagementDefaultLimitSymbol = "nvmlDeviceGetPowerManagementDefaultLimit";
inline constexpr const char* kDeviceSetPowerManagementLimitSymbol = "nvmlDeviceSetPowerManagementLimit";

}  // namespace chase::nvml
