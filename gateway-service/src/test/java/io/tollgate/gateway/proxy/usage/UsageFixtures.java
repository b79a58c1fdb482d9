package io.tollgate.gateway.proxy.usage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.tollgate.gateway.proxy.usage.UsageTap.Format;

/**
 * Provider payloads shaped like the providers' documented examples, and helpers to feed
 * them in arbitrary chunks.
 */
final class UsageFixtures {

	private UsageFixtures() {
	}

	/** Anthropic stream with web search: two cumulative message_delta events. */
	static final String ANTHROPIC_WEB_SEARCH_STREAM = """
			event: message_start
			data: {"type":"message_start","message":{"id":"msg_01G2uhN4Sw3Fgb8nMZ7uK8gX","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":3,"service_tier":"standard"}}}

			event: ping
			data: {"type": "ping"}

			event: content_block_start
			data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"query\\": \\"weather NYC today\\"}"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":0}

			event: content_block_start
			data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Weather in New York City in May 2025","url":"https://www.wunderground.com/weather/us/ny/new-york-city","encrypted_content":"Ev0DCioIAxgCIiQ3NmU4ZmI4OC1k","page_age":null}]}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":1}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":null,"stop_sequence":null},"usage":{"output_tokens":89,"server_tool_use":{"web_search_requests":1}}}

			event: content_block_start
			data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Il fait 22 °C à New York — ensoleillé ☀️ 👍"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":2}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1,"web_fetch_requests":1}}}

			event: message_stop
			data: {"type":"message_stop"}

			""";

	/** Anthropic message_start with a 1h cache write and a cache read, then content. */
	static final String ANTHROPIC_CACHED_STREAM_START = """
			event: message_start
			data: {"type":"message_start","message":{"id":"msg_01PPTB1VfAYm5zB6hT3hLW8y","type":"message","role":"assistant","model":"claude-opus-4-1-20250805","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":1800,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":2048},"output_tokens":1,"service_tier":"priority"}}}

			event: content_block_start
			data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

			""";

	static final String ANTHROPIC_CACHED_STREAM_END = """
			event: content_block_stop
			data: {"type":"content_block_stop","index":0}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1024}}

			event: message_stop
			data: {"type":"message_stop"}

			""";

	/** Anthropic non-streamed message with prompt caching (5m and 1h writes, reads). */
	static final String ANTHROPIC_MESSAGE = """
			{
			  "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
			  "type": "message",
			  "role": "assistant",
			  "content": [
			    {
			      "type": "text",
			      "text": "Hi! My name is Claude. \\"Quoted\\" and ünïcödé."
			    }
			  ],
			  "model": "claude-sonnet-4-5-20250929",
			  "stop_reason": "end_turn",
			  "stop_sequence": null,
			  "usage": {
			    "input_tokens": 21,
			    "cache_creation_input_tokens": 1910,
			    "cache_read_input_tokens": 3000,
			    "cache_creation": {
			      "ephemeral_5m_input_tokens": 456,
			      "ephemeral_1h_input_tokens": 1454
			    },
			    "output_tokens": 393,
			    "service_tier": "standard"
			  }
			}
			""";

	/** OpenAI chat stream as sent when the request sets include_usage. */
	static final String OPENAI_CHAT_STREAM_WITH_USAGE = """
			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"¡Hola! ¿Cómo"},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" estás? 👋 \\"usage\\":null"},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

			data: [DONE]

			""";

	/** The same stream as OpenAI sends it when the request does not set include_usage. */
	static final String OPENAI_CHAT_STREAM_WITHOUT_USAGE = """
			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"¡Hola! ¿Cómo"},"logprobs":null,"finish_reason":null}]}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" estás? 👋 \\"usage\\":null"},"logprobs":null,"finish_reason":null}]}

			data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

			data: [DONE]

			""";

	/** OpenAI non-streamed chat completion with cached prompt and reasoning tokens. */
	static final String OPENAI_CHAT_COMPLETION = """
			{
			  "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
			  "object": "chat.completion",
			  "created": 1741570283,
			  "model": "o4-mini-2025-04-16",
			  "choices": [
			    {
			      "index": 0,
			      "message": {
			        "role": "assistant",
			        "content": "The image shows a wooden boardwalk extending through a lush green marshland.",
			        "refusal": null,
			        "annotations": []
			      },
			      "logprobs": null,
			      "finish_reason": "length"
			    }
			  ],
			  "usage": {
			    "prompt_tokens": 1117,
			    "completion_tokens": 946,
			    "total_tokens": 2063,
			    "prompt_tokens_details": {
			      "cached_tokens": 1024,
			      "audio_tokens": 0
			    },
			    "completion_tokens_details": {
			      "reasoning_tokens": 704,
			      "audio_tokens": 0,
			      "accepted_prediction_tokens": 0,
			      "rejected_prediction_tokens": 0
			    }
			  },
			  "service_tier": "flex",
			  "system_fingerprint": "fp_fc9f1d7035"
			}
			""";

	/** OpenAI Responses stream ending in response.completed. */
	static final String OPENAI_RESPONSES_STREAM = """
			event: response.created
			data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"in_progress","error":null,"incomplete_details":null,"instructions":"You are a helpful assistant.","max_output_tokens":null,"model":"o3-2025-04-16","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

			event: response.in_progress
			data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"in_progress","model":"o3-2025-04-16","output":[],"usage":null}}

			event: response.output_item.added
			data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"in_progress","role":"assistant","content":[]}}

			event: response.output_text.delta
			data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":"Grüß Gott — 你好"}

			event: response.output_text.done
			data: {"type":"response.output_text.done","sequence_number":4,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"text":"Grüß Gott — 你好"}

			event: response.completed
			data: {"type":"response.completed","sequence_number":5,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"completed","error":null,"incomplete_details":null,"model":"o3-2025-04-16","output":[{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Grüß Gott — 你好","annotations":[]}]}],"service_tier":"priority","usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":900,"output_tokens_details":{"reasoning_tokens":640},"total_tokens":2100},"user":null,"metadata":{}}}

			""";

	/** OpenAI non-streamed Responses object. */
	static final String OPENAI_RESPONSE = """
			{
			  "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
			  "object": "response",
			  "created_at": 1741476542,
			  "status": "completed",
			  "error": null,
			  "incomplete_details": null,
			  "instructions": null,
			  "max_output_tokens": null,
			  "model": "gpt-4.1-2025-04-14",
			  "output": [
			    {
			      "type": "message",
			      "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
			      "status": "completed",
			      "role": "assistant",
			      "content": [
			        {
			          "type": "output_text",
			          "text": "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool.",
			          "annotations": []
			        }
			      ]
			    }
			  ],
			  "parallel_tool_calls": true,
			  "previous_response_id": null,
			  "reasoning": {"effort": null, "summary": null},
			  "service_tier": "default",
			  "store": true,
			  "temperature": 1.0,
			  "text": {"format": {"type": "text"}},
			  "tool_choice": "auto",
			  "tools": [],
			  "top_p": 1.0,
			  "truncation": "disabled",
			  "usage": {
			    "input_tokens": 36,
			    "input_tokens_details": {"cached_tokens": 0},
			    "output_tokens": 87,
			    "output_tokens_details": {"reasoning_tokens": 0},
			    "total_tokens": 123
			  },
			  "user": null,
			  "metadata": {}
			}
			""";

	/** Gemini streamGenerateContent?alt=sse body (Gemini ends its lines with CRLF). */
	static final String GEMINI_SSE_STREAM = crlf(
			"""
					data: {"candidates": [{"content": {"parts": [{"text": "Short answer: "}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5230,"totalTokenCount": 5230,"cachedContentTokenCount": 4096,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 5230}],"cacheTokensDetails": [{"modality": "TEXT","tokenCount": 4096}]},"modelVersion": "gemini-2.5-flash","responseId": "mAitaLmkHPPlz7IPvtfUqQ4"}

					data: {"candidates": [{"content": {"parts": [{"text": "ja — ça marche ✓"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5230,"candidatesTokenCount": 20,"totalTokenCount": 5560,"cachedContentTokenCount": 4096,"thoughtsTokenCount": 310},"modelVersion": "gemini-2.5-flash","responseId": "mAitaLmkHPPlz7IPvtfUqQ4"}

					data: {"candidates": [{"content": {"parts": [{"text": "."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 5230,"candidatesTokenCount": 48,"totalTokenCount": 5588,"cachedContentTokenCount": 4096,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 5230}],"thoughtsTokenCount": 310},"modelVersion": "gemini-2.5-flash","responseId": "mAitaLmkHPPlz7IPvtfUqQ4"}

					""");

	/** Gemini streamGenerateContent without alt=sse: a JSON array of responses. */
	static final String GEMINI_JSON_ARRAY_STREAM = """
			[{
			  "candidates": [{"content": {"parts": [{"text": "The capital"}],"role": "model"},"index": 0}],
			  "usageMetadata": {"promptTokenCount": 11,"totalTokenCount": 11},
			  "modelVersion": "gemini-2.0-flash"
			}
			,
			{
			  "candidates": [{"content": {"parts": [{"text": " of France is Paris."}],"role": "model"},"finishReason": "STOP","index": 0}],
			  "usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 8,"totalTokenCount": 19,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},
			  "modelVersion": "gemini-2.0-flash"
			}
			]""";

	/** Gemini non-streamed response with cache, thinking and search grounding. */
	static final String GEMINI_RESPONSE = """
			{
			  "candidates": [
			    {
			      "content": {"parts": [{"text": "Spain won Euro 2024."}], "role": "model"},
			      "finishReason": "MAX_TOKENS",
			      "index": 0,
			      "groundingMetadata": {"webSearchQueries": ["who won euro 2024"]}
			    }
			  ],
			  "usageMetadata": {
			    "promptTokenCount": 1500,
			    "candidatesTokenCount": 40,
			    "totalTokenCount": 2160,
			    "cachedContentTokenCount": 1000,
			    "toolUsePromptTokenCount": 120,
			    "thoughtsTokenCount": 500,
			    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 1500}]
			  },
			  "modelVersion": "gemini-2.5-pro",
			  "responseId": "x0OxaLHdMYqwz7IPkq6ryQU"
			}
			""";

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String crlf(String text) {
		return text.replace("\n", "\r\n");
	}

	/** Runs a fresh tap over the body in one chunk. */
	static UsageTap tapWhole(Format route, boolean streaming, String body) {
		UsageTap tap = UsageTap.forFormat(route, streaming);
		byte[] bytes = utf8(body);
		tap.accept(ByteBuffer.wrap(bytes));
		tap.complete();
		return tap;
	}

	/** Runs a fresh tap over the body cut into two chunks at {@code split}. */
	static ExtractedUsage tapSplit(Supplier<UsageTap> taps, byte[] body, int split) {
		UsageTap tap = taps.get();
		tap.accept(body, 0, split);
		tap.accept(body, split, body.length - split);
		tap.complete();
		return tap.usage();
	}

	/** Runs a fresh tap over the body one byte at a time. */
	static ExtractedUsage tapByteByByte(Supplier<UsageTap> taps, byte[] body) {
		UsageTap tap = taps.get();
		for (int i = 0; i < body.length; i++) {
			tap.accept(new byte[] { body[i] }, 0, 1);
		}
		tap.complete();
		return tap.usage();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static byte[] remaining(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

}
