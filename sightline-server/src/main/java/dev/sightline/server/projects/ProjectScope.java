package dev.sightline.server.projects;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.store.Store;
import io.netty.util.AttributeKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The project a request reads: set on the request's context by the access check, read by the
 * request-scoped store that every API class is given. A read outside a request that went through the
 * check fails loudly instead of falling back to some project.
 */
public final class ProjectScope {
  /** The project of the request being served (set by the access check). */
  public static final AttributeKey<String> PROJECT = AttributeKey.valueOf(ProjectScope.class, "project");

  private ProjectScope() {}

  /** The current request's project; IllegalStateException outside a checked request. */
  public static String current() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    String p = ctx == null ? null : ctx.attr(PROJECT);
    if (p == null) {
      throw new IllegalStateException("no project in scope: this read did not pass the access check");
    }
    return p;
  }

  /**
   * A {@link Store} whose every call goes to the store of the current request's project. API handlers
   * run on executors made context-aware, so the request's context (and its project) is current there.
   */
  public static Store requestStore(ProjectStores stores) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "toString":
              if (method.getParameterCount() == 0) {
                return "the request's project store";
              }
              break;
            case "hashCode":
              if (method.getParameterCount() == 0) {
                return System.identityHashCode(proxy);
              }
              break;
            case "equals":
              if (method.getParameterCount() == 1) {
                return proxy == args[0];
              }
              break;
            case "close":
              return null; // the stores are closed by their owner, not by a reader
            default:
              break;
          }
          try {
            return method.invoke(stores.store(current()), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
