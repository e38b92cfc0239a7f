package dev.sightline.receivers;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The slow path for protobuf bodies that the generated parser refused. protobuf-java rejects a
 * whole proto3 message when any string field holds invalid UTF-8, which would lose every good
 * record sent beside the bad one. This walker rewrites the message on the wire, guided by its
 * descriptor, decoding such strings with U+FFFD replacement characters; everything else is copied
 * byte for byte, so the result parses with the generated parser again.
 */
final class LenientProtoParser {
  private static final int MAX_DEPTH = 100;

  /** The repaired message and how many strings were repaired (0: the body had another problem). */
  record Repaired(byte[] bytes, int repairedStrings) {}

  private LenientProtoParser() {}

  static Repaired repair(Descriptor type, byte[] body) throws InvalidProtocolBufferException {
    int[] repaired = {0};
    ByteString.Output buffer = ByteString.newOutput(body.length + 64);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(buffer);
      rewrite(type, CodedInputStream.newInstance(body), out, repaired, 0);
      out.flush();
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return new Repaired(buffer.toByteString().toByteArray(), repaired[0]);
  }

  private static void rewrite(Descriptor type, CodedInputStream in, CodedOutputStream out, int[] repaired,
      int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("message nested more than " + MAX_DEPTH + " levels deep");
    }
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      FieldDescriptor field = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
          ? type.findFieldByNumber(WireFormat.getTagFieldNumber(tag))
          : null;
      if (field == null) {
        in.skipField(tag, out);
        continue;
      }
      switch (field.getType()) {
        case STRING -> {
          ByteString raw = in.readBytes();
          out.writeTag(field.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
          if (raw.isValidUtf8()) {
            out.writeBytesNoTag(raw);
          } else {
            repaired[0]++;
            out.writeStringNoTag(new String(raw.toByteArray(), StandardCharsets.UTF_8));
          }
        }
        case MESSAGE -> {
          ByteString raw = in.readBytes();
          ByteString.Output nested = ByteString.newOutput(raw.size());
          CodedOutputStream nestedOut = CodedOutputStream.newInstance(nested);
          rewrite(field.getMessageType(), raw.newCodedInput(), nestedOut, repaired, depth + 1);
          nestedOut.flush();
          out.writeTag(field.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeBytesNoTag(nested.toByteString());
        }
        default -> {
          out.writeTag(field.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeBytesNoTag(in.readBytes());
        }
      }
    }
  }
}
