package dev.sightline.receivers;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns OTLP key/values into the model's attribute maps (arrival order; String, Long, Double,
 * Boolean, byte[], List, Map values) while applying {@link ReceiverLimits}: the first N attributes
 * are kept and the rest counted, over-long values are cut with a visible marker.
 */
final class AttributeDecoder {
  /** Where a record says how many of its attributes were dropped over the limit. */
  static final String DROPPED_COUNT_KEY = "sightline.dropped_attributes_count";

  private final int maxAttributes;
  private final int maxValueBytes;
  /** Strings up to this many chars cannot exceed the byte limit (a char is at most 3 UTF-8 bytes). */
  private final int safeChars;

  AttributeDecoder(ReceiverLimits limits) {
    this.maxAttributes = limits.maxAttributesPerRecord();
    this.maxValueBytes = limits.maxAttributeValueBytes();
    this.safeChars = maxValueBytes / 3;
  }

  Map<String, Object> attributes(List<KeyValue> kvs, DecodeReport report) {
    int n = kvs.size();
    if (n == 0) {
      return Map.of();
    }
    int keep = Math.min(n, maxAttributes);
    Map<String, Object> out = LinkedHashMap.newLinkedHashMap(keep + 1);
    for (int i = 0; i < keep; i++) {
      KeyValue kv = kvs.get(i);
      Object v = value(kv.getValue(), report);
      if (v != null) {
        out.put(limit(kv.getKey(), report), v);
      }
    }
    if (n > keep) {
      out.put(DROPPED_COUNT_KEY, (long) (n - keep));
      report.droppedAttributes(n - keep);
    }
    return out;
  }

  /** The model value of an OTLP AnyValue; null when it holds nothing. */
  Object value(AnyValue v, DecodeReport report) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> limit(v.getStringValue(), report);
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> bytes(v.getBytesValue(), report);
      case ARRAY_VALUE -> {
        List<AnyValue> values = v.getArrayValue().getValuesList();
        List<Object> list = new ArrayList<>(values.size());
        for (AnyValue e : values) {
          Object o = value(e, report);
          if (o != null) {
            list.add(o);
          }
        }
        yield list;
      }
      case KVLIST_VALUE -> {
        List<KeyValue> values = v.getKvlistValue().getValuesList();
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(values.size());
        for (KeyValue kv : values) {
          Object o = value(kv.getValue(), report);
          if (o != null) {
            map.put(limit(kv.getKey(), report), o);
          }
        }
        yield map;
      }
      // string_value_strindex only has meaning inside profiles' string tables
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
    };
  }

  private byte[] bytes(ByteString b, DecodeReport report) {
    if (b.size() <= maxValueBytes) {
      return b.toByteArray();
    }
    report.truncatedValue();
    return Arrays.copyOf(b.toByteArray(), maxValueBytes);
  }

  /** The string cut to the byte limit on a character boundary, with a marker saying how much went. */
  String limit(String s, DecodeReport report) {
    if (s.length() <= safeChars) {
      return s;
    }
    int kept = 0;
    int cut = -1;
    long total = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      int b;
      if (c < 0x80) {
        b = 1;
      } else if (c < 0x800) {
        b = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        b = 4;
      } else {
        b = 3;
      }
      if (cut < 0 && total + b > maxValueBytes) {
        cut = i;
        kept = (int) total;
      }
      total += b;
      if (b == 4) {
        i++;
      }
    }
    if (cut < 0) {
      return s;
    }
    report.truncatedValue();
    return s.substring(0, cut) + "…[truncated " + (total - kept) + " bytes]";
  }
}
