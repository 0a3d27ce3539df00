package io.liverec.featurestore.server;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A gRPC marshaller for a message already in wire bytes: its stream tells gRPC the length (so the
 * frame is not buffered to be measured) and drains the array in one write.
 */
final class WireBytes extends ByteArrayInputStream implements KnownLength, Drainable {
  static final MethodDescriptor.Marshaller<byte[]> MARSHALLER =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new WireBytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private WireBytes(byte[] bytes) {
    super(bytes);
  }

  @Override
  public int drainTo(OutputStream target) throws IOException {
    int n = count - pos;
    target.write(buf, pos, n);
    pos = count;
    return n;
  }
}
