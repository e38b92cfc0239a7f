package dev.sightline.gateway;

import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.netty.util.AsciiString;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Re-signs Bedrock requests for the real upstream. The app signed its request (AWS SigV4) for the
 * gateway's host, which the upstream would reject; the gateway drops that signature and signs the
 * request it actually sends with its own credentials (the standard AWS provider chain, unless a
 * provider is given), for the {@code bedrock} service in its configured region. Neither signature
 * is ever logged or recorded.
 */
final class BedrockSigner {
  static final String SERVICE = "bedrock";

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final URI upstream;
  private final int port;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  BedrockSigner(AwsCredentialsProvider credentials, String region, URI upstream) {
    this.credentials = credentials;
    this.region = region;
    this.upstream = upstream;
    this.port = upstream.getPort() > 0 ? upstream.getPort()
        : "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
  }

  String region() {
    return region;
  }

  /** The headers of the app's own signature, which are not forwarded. */
  static boolean isAppSignatureHeader(AsciiString name) {
    String n = name.toString().toLowerCase(Locale.ROOT);
    return n.equals("authorization") || n.equals("x-amz-date") || n.equals("x-amz-security-token")
        || n.equals("x-amz-content-sha256");
  }

  /**
   * {@code headers} (already without the app's signature, with the upstream path) signed over
   * {@code body}. Runs on {@code blocking}: the provider chain may read files or call a metadata
   * endpoint the first time and whenever credentials expire.
   */
  CompletableFuture<RequestHeaders> sign(RequestHeaders headers, byte[] body, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> signNow(headers, body), blocking);
  }

  private RequestHeaders signNow(RequestHeaders headers, byte[] body) {
    String pathAndQuery = headers.path();
    int q = pathAndQuery.indexOf('?');
    // Sign exactly the path that is sent: the upstream computes its canonical request from it.
    SdkHttpRequest.Builder r = SdkHttpRequest.builder()
        .protocol(upstream.getScheme().toLowerCase(Locale.ROOT))
        .host(upstream.getHost())
        .port(port)
        .method(SdkHttpMethod.fromValue(headers.method().name()))
        .encodedPath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    if (q >= 0) {
      QueryParams.fromQueryString(pathAndQuery.substring(q + 1)).forEach(r::appendRawQueryParameter);
    }
    headers.forEach((name, value) -> {
      if (name.length() > 0 && name.byteAt(0) != ':') {
        r.appendHeader(name.toString(), value);
      }
    });
    AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
    SignedRequest signed = signer.sign(s -> s.identity(identity)
        .request(r.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    RequestHeadersBuilder out = headers.toBuilder();
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("host")) {
        out.authority(h.getValue().get(0));
      } else {
        out.set(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
      }
    }
    return out.build();
  }
}
