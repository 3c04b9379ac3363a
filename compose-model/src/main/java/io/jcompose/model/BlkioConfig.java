package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * Block IO limits of a service ({@code blkio_config}).
 *
 * @param weight relative weight (10-1000), 0 = unset
 * @param weightDevice per-device weights
 * @param deviceReadBps read rate limits in bytes per second
 * @param deviceReadIops read rate limits in operations per second
 * @param deviceWriteBps write rate limits in bytes per second
 * @param deviceWriteIops write rate limits in operations per second
 * @param extensions {@code x-*} keys
 */
public record BlkioConfig(
    int weight,
    List<WeightDevice> weightDevice,
    List<ThrottleDevice> deviceReadBps,
    @YamlKey("device_read_iops") List<ThrottleDevice> deviceReadIops,
    List<ThrottleDevice> deviceWriteBps,
    @YamlKey("device_write_iops") List<ThrottleDevice> deviceWriteIops,
    Map<String, Object> extensions) {
  public BlkioConfig {
    weightDevice = Extensions.freeze(weightDevice);
    deviceReadBps = Extensions.freeze(deviceReadBps);
    deviceReadIops = Extensions.freeze(deviceReadIops);
    deviceWriteBps = Extensions.freeze(deviceWriteBps);
    deviceWriteIops = Extensions.freeze(deviceWriteIops);
    extensions = Extensions.freeze(extensions);
  }

  /**
   * A device and its weight.
   *
   * @param path device path
   * @param weight relative weight
   * @param extensions {@code x-*} keys
   */
  public record WeightDevice(@Always String path, @Always int weight, Map<String, Object> extensions) {
    public WeightDevice {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * A device and its rate limit.
   *
   * @param path device path
   * @param rate bytes (or operations) per second
   * @param extensions {@code x-*} keys
   */
  public record ThrottleDevice(@Always String path, @Always long rate, Map<String, Object> extensions) {
    public ThrottleDevice {
      extensions = Extensions.freeze(extensions);
    }
  }
}
