package dev.sightline.receivers;

import static dev.sightline.receivers.JsonScalars.describe;
import static dev.sightline.receivers.JsonScalars.skip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.google.protobuf.UnsafeByteOperations;
import dev.sightline.receivers.JsonScalars.BadField;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Streams the OTLP/JSON values every signal shares (resources, scopes, attributes and their
 * AnyValues) into protobuf messages. Where a value names two alternatives (an AnyValue with two
 * kinds), the one the tree reader preferred wins and only its errors count.
 */
final class OtlpJsonValues {
  /** Receives the key/values read from an attributes array. */
  interface KeyValueSink {
    void add(KeyValue kv);
  }

  private OtlpJsonValues() {}

  /** Calls {@code element} for each element of the array under the current token; null reads as empty. */
  interface Element {
    void read(JsonParser p) throws IOException, BadField;
  }

  static void array(JsonParser p, String where, Element element) throws IOException, BadField {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      throw new BadField(where + ": expected an array, got " + describe(p));
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      element.read(p);
    }
  }

  /** The array named {@code name} inside the value under the current token, which need not be an object. */
  static void arrayIn(JsonParser p, String name, String snake, String where, Element element)
      throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return;
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals(name) || f.equals(snake)) {
        array(p, where, element);
      } else {
        skip(p);
      }
    }
  }

  /**
   * The names of one signal's envelope lists: the scope-level list under a resource (current name,
   * its snake_case, the legacy instrumentation-library name and its snake_case) and the records'
   * list under a scope (name and snake_case), each with the path its errors name.
   */
  record Envelope(String scopes, String scopesSnake, String legacyScopes, String legacyScopesSnake,
      String scopesWhere, String records, String recordsSnake, String recordsWhere) {}

  /**
   * Reads a resource-level object of any signal: its resource, and its scope-level list under the
   * current name or, until that name is seen, the legacy one (a later list replaces an earlier one).
   * Anything but an object reads as empty.
   */
  static void resourceLevel(JsonParser p, Envelope names, Consumer<Resource> resource, Runnable clearScopes,
      Element scope) throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return;
    }
    boolean current = false; // the current list seen: the legacy name no longer counts
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("resource")) {
        resource.accept(resource(p));
      } else if (f.equals(names.scopes()) || f.equals(names.scopesSnake())) {
        current = true;
        clearScopes.run();
        array(p, names.scopesWhere(), scope);
      } else if (!current && (f.equals(names.legacyScopes()) || f.equals(names.legacyScopesSnake()))) {
        clearScopes.run();
        array(p, names.scopesWhere(), scope);
      } else {
        skip(p);
      }
    }
  }

  /**
   * Reads a scope-level object of any signal: its scope ({@code scope}, or the legacy
   * {@code instrumentationLibrary} until {@code scope} is seen) and its records' list. Anything but
   * an object reads as empty.
   */
  static void scopeLevel(JsonParser p, Envelope names, Consumer<InstrumentationScope> scope, Runnable clearRecords,
      Element record) throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return;
    }
    boolean current = false; // scope seen: the legacy instrumentationLibrary no longer counts
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("scope")) {
        current = true;
        scope.accept(scope(p));
      } else if (!current && (f.equals("instrumentationLibrary") || f.equals("instrumentation_library"))) {
        scope.accept(scope(p));
      } else if (f.equals(names.records()) || f.equals(names.recordsSnake())) {
        clearRecords.run();
        array(p, names.recordsWhere(), record);
      } else {
        skip(p);
      }
    }
  }

  static Resource resource(JsonParser p) throws IOException, BadField {
    Resource.Builder b = Resource.newBuilder();
    arrayIn(p, "attributes", "attributes", "resource.attributes", e -> b.addAttributes(keyValue(e, "resource.attributes")));
    return b.build();
  }

  static InstrumentationScope scope(JsonParser p) throws IOException, BadField {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "name" -> b.setName(JsonScalars.string(p, "name"));
        case "version" -> b.setVersion(JsonScalars.string(p, "version"));
        case "attributes" -> {
          b.clearAttributes();
          array(p, "scope.attributes", e -> b.addAttributes(keyValue(e, "scope.attributes")));
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  /** Reads an attributes array into {@code sink}; {@code where} names it in messages. */
  static void attributes(JsonParser p, KeyValueSink sink, String where) throws IOException, BadField {
    array(p, where, e -> sink.add(keyValue(e, where)));
  }

  static KeyValue keyValue(JsonParser p, String where) throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadField(where + ": expected {\"key\":…,\"value\":…}, got " + describe(p));
    }
    String key = null;
    AnyValue value = null;
    TokenBuffer early = null;
    String f;
    while ((f = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (f.equals("key")) {
        key = JsonScalars.string(p, "key");
      } else if (f.equals("value")) {
        if (t == JsonToken.VALUE_NULL) {
          value = null;
          early = null;
        } else if (key != null) {
          value = anyValue(p, where, key);
          early = null;
        } else {
          // messages about the value name its key, which is still to come: read the value after it
          early = TokenBuffer.asCopyOfValue(p);
          value = null;
        }
      } else {
        skip(p);
      }
    }
    if (key == null) {
      key = "";
    }
    if (early != null) {
      try (JsonParser q = early.asParserOnFirstToken()) {
        value = anyValue(q, where, key);
      }
    }
    KeyValue.Builder b = KeyValue.newBuilder().setKey(key);
    if (value != null) {
      b.setValue(value);
    }
    return b.build();
  }

  // The AnyValue kinds in the order the tree reader looked for them: the first one present is used.
  private static final int STRING = 0;
  private static final int BOOL = 1;
  private static final int INT = 2;
  private static final int DOUBLE = 3;
  private static final int BYTES = 4;
  private static final int ARRAY = 5;
  private static final int KVLIST = 6;
  private static final int NONE = 7;

  private static int kind(String field) {
    return switch (field) {
      case "stringValue", "string_value" -> STRING;
      case "boolValue", "bool_value" -> BOOL;
      case "intValue", "int_value" -> INT;
      case "doubleValue", "double_value" -> DOUBLE;
      case "bytesValue", "bytes_value" -> BYTES;
      case "arrayValue", "array_value" -> ARRAY;
      case "kvlistValue", "kvlist_value" -> KVLIST;
      default -> NONE;
    };
  }

  /**
   * An AnyValue object; {@code where} (with {@code key} appended in brackets when not null) names it
   * in messages, built only when there is one to write.
   */
  static AnyValue anyValue(JsonParser p, String where, String key) throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadField(path(where, key) + ": expected an AnyValue object such as {\"stringValue\":…}, got "
          + describe(p));
    }
    JsonStreamContext own = p.getParsingContext();
    int best = NONE;
    AnyValue value = null;
    BadField failure = null;
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      int kind = kind(f);
      if (kind == NONE || kind > best) {
        skip(p);
        continue;
      }
      best = kind;
      try {
        value = kindValue(p, kind, where, key);
        failure = null;
      } catch (BadField e) {
        value = null;
        failure = e;
        JsonScalars.unwindTo(p, own);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return value == null ? AnyValue.getDefaultInstance() : value;
  }

  private static AnyValue kindValue(JsonParser p, int kind, String where, String key) throws IOException, BadField {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (kind) {
      case STRING -> {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
          b.setStringValue(p.getText());
        } else if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
          b.setStringValue(JsonScalars.text(p));
        } else {
          throw new BadField(path(where, key) + ".stringValue: expected a string, got " + describe(p));
        }
      }
      case BOOL -> b.setBoolValue(JsonScalars.bool(p, "boolValue"));
      case INT -> b.setIntValue(JsonScalars.int64(p, "intValue"));
      case DOUBLE -> b.setDoubleValue(JsonScalars.float64(p, "doubleValue"));
      case BYTES -> b.setBytesValue(UnsafeByteOperations.unsafeWrap(
          JsonScalars.base64(p, path(where, key) + ".bytesValue")));
      case ARRAY -> {
        String inner = path(where, key);
        ArrayValue.Builder a = ArrayValue.newBuilder();
        arrayIn(p, "values", "values", inner + ".arrayValue.values", e -> a.addValues(anyValue(e, inner + "[]", null)));
        b.setArrayValue(a);
      }
      default -> {
        String inner = path(where, key);
        KeyValueList.Builder l = KeyValueList.newBuilder();
        arrayIn(p, "values", "values", inner + ".kvlistValue.values", e -> l.addValues(keyValue(e, inner)));
        b.setKvlistValue(l);
      }
    }
    return b.build();
  }

  private static String path(String where, String key) {
    return key == null ? where : where + "[" + key + "]";
  }
}
