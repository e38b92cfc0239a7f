package dev.sightline.bus;

import dev.sightline.model.CallStatus;
import dev.sightline.model.CostStatus;
import dev.sightline.model.MetricType;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TtftSource;
import dev.sightline.model.UsageSource;

/**
 * The bus's number for every enum constant, written out by name so that reordering or extending a
 * Java enum cannot change what is on the wire. 0 is null everywhere; a new constant takes the next
 * unused number (docs/bus-format.md).
 */
final class WireCodes {
  private WireCodes() {}

  static int code(SpanKind v) {
    return v == null ? 0 : switch (v) {
      case UNSPECIFIED -> 1;
      case INTERNAL -> 2;
      case SERVER -> 3;
      case CLIENT -> 4;
      case PRODUCER -> 5;
      case CONSUMER -> 6;
    };
  }

  static SpanKind spanKind(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> SpanKind.UNSPECIFIED;
      case 2 -> SpanKind.INTERNAL;
      case 3 -> SpanKind.SERVER;
      case 4 -> SpanKind.CLIENT;
      case 5 -> SpanKind.PRODUCER;
      case 6 -> SpanKind.CONSUMER;
      default -> throw in.unknownCode("span kind", code);
    };
  }

  static int code(SpanStatus v) {
    return v == null ? 0 : switch (v) {
      case UNSET -> 1;
      case OK -> 2;
      case ERROR -> 3;
    };
  }

  static SpanStatus spanStatus(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> SpanStatus.UNSET;
      case 2 -> SpanStatus.OK;
      case 3 -> SpanStatus.ERROR;
      default -> throw in.unknownCode("span status", code);
    };
  }

  static int code(SpanCategory v) {
    return v == null ? 0 : switch (v) {
      case LLM -> 1;
      case EMBEDDING -> 2;
      case RETRIEVAL -> 3;
      case RERANK -> 4;
      case TOOL -> 5;
      case AGENT -> 6;
      case WORKFLOW -> 7;
      case GUARDRAIL -> 8;
      case HTTP -> 9;
      case DB -> 10;
      case BROWSER -> 11;
      case OTHER -> 12;
    };
  }

  static SpanCategory spanCategory(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> SpanCategory.LLM;
      case 2 -> SpanCategory.EMBEDDING;
      case 3 -> SpanCategory.RETRIEVAL;
      case 4 -> SpanCategory.RERANK;
      case 5 -> SpanCategory.TOOL;
      case 6 -> SpanCategory.AGENT;
      case 7 -> SpanCategory.WORKFLOW;
      case 8 -> SpanCategory.GUARDRAIL;
      case 9 -> SpanCategory.HTTP;
      case 10 -> SpanCategory.DB;
      case 11 -> SpanCategory.BROWSER;
      case 12 -> SpanCategory.OTHER;
      default -> throw in.unknownCode("span category", code);
    };
  }

  static int code(UsageSource v) {
    return v == null ? 0 : switch (v) {
      case REPORTED -> 1;
      case ESTIMATED -> 2;
      case NONE -> 3;
    };
  }

  static UsageSource usageSource(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> UsageSource.REPORTED;
      case 2 -> UsageSource.ESTIMATED;
      case 3 -> UsageSource.NONE;
      default -> throw in.unknownCode("usage source", code);
    };
  }

  static int code(TtftSource v) {
    return v == null ? 0 : switch (v) {
      case TIME_TO_FIRST_CHUNK -> 1;
      case COMPLETION_START_TIME -> 2;
      case FIRST_TOKEN_EVENT -> 3;
      case GATEWAY -> 4;
    };
  }

  static TtftSource ttftSource(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> TtftSource.TIME_TO_FIRST_CHUNK;
      case 2 -> TtftSource.COMPLETION_START_TIME;
      case 3 -> TtftSource.FIRST_TOKEN_EVENT;
      case 4 -> TtftSource.GATEWAY;
      default -> throw in.unknownCode("TTFT source", code);
    };
  }

  static int code(CostStatus v) {
    return v == null ? 0 : switch (v) {
      case PRICED -> 1;
      case UNPRICED -> 2;
      case NO_USAGE -> 3;
    };
  }

  static CostStatus costStatus(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> CostStatus.PRICED;
      case 2 -> CostStatus.UNPRICED;
      case 3 -> CostStatus.NO_USAGE;
      default -> throw in.unknownCode("cost status", code);
    };
  }

  static int code(CallStatus v) {
    return v == null ? 0 : switch (v) {
      case OK -> 1;
      case ERROR -> 2;
    };
  }

  static CallStatus callStatus(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> CallStatus.OK;
      case 2 -> CallStatus.ERROR;
      default -> throw in.unknownCode("call status", code);
    };
  }

  static int code(MetricType v) {
    return v == null ? 0 : switch (v) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
    };
  }

  static MetricType metricType(int code, ByteSource in) throws BatchFormatException {
    return switch (code) {
      case 0 -> null;
      case 1 -> MetricType.GAUGE;
      case 2 -> MetricType.SUM;
      case 3 -> MetricType.HISTOGRAM;
      case 4 -> MetricType.EXPONENTIAL_HISTOGRAM;
      case 5 -> MetricType.SUMMARY;
      default -> throw in.unknownCode("metric type", code);
    };
  }
}
