package dev.sightline.model;

/**
 * The canonical LLM operation (ARCHITECTURE.md §4): every chat, completion, responses or
 * embeddings call becomes one of these, however it arrived.
 *
 * @param provider {@code openai}, {@code anthropic}, {@code aws.bedrock}, {@code ollama}, {@code vllm}…
 * @param operation {@code chat}, {@code text_completion}, {@code embeddings}, {@code responses}…
 * @param streaming null when the source does not say
 * @param serviceTier the service tier the provider says served the call ({@code default},
 *     {@code flex}, {@code priority}, {@code batch}…), lower-cased as reported; null when the
 *     source does not say. Pricing reads it (ARCHITECTURE.md §6: batch / priority / flex prices)
 */
public record LlmCall(
    String provider,
    String operation,
    String requestModel,
    String responseModel,
    Boolean streaming,
    Usage usage,
    Timing timing,
    Cost cost,
    Outcome outcome,
    CallContext context,
    Content content,
    String serviceTier) {

  public LlmCall {
    usage = usage == null ? Usage.NONE : usage;
    outcome = outcome == null ? Outcome.OK : outcome;
    content = content == null ? Content.NONE : content;
  }

  /** A call whose service tier is not known (the standard tier, as far as pricing is concerned). */
  public LlmCall(String provider, String operation, String requestModel, String responseModel, Boolean streaming,
      Usage usage, Timing timing, Cost cost, Outcome outcome, CallContext context, Content content) {
    this(provider, operation, requestModel, responseModel, streaming, usage, timing, cost, outcome, context, content,
        null);
  }

  /** The model to price and group by: the response model if known, else the request model. */
  public String model() {
    return responseModel != null && !responseModel.isBlank() ? responseModel : requestModel;
  }

  public LlmCall withCost(Cost cost) {
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost,
        outcome, context, content, serviceTier);
  }

  public LlmCall withUsage(Usage usage) {
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost,
        outcome, context, content, serviceTier);
  }

  public LlmCall withContext(CallContext context) {
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost,
        outcome, context, content, serviceTier);
  }

  public LlmCall withServiceTier(String serviceTier) {
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost,
        outcome, context, content, serviceTier);
  }

  public LlmCall withContent(Content content) {
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost,
        outcome, context, content, serviceTier);
  }
}
