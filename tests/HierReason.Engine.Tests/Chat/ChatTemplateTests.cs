using HierReason.Engine.Chat;
using HierReason.Engine.Tests.Tokenizers;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Chat;

public class ChatTemplateTests
{
    private static readonly ChatMessage[] Conversation =
    [
        ChatMessage.System("Answer briefly."),
        ChatMessage.User("What is 2+2?"),
        ChatMessage.Assistant("4"),
        ChatMessage.User("And 3+3?"),
    ];

    [Fact]
    public void Chatml_renders_each_turn_and_opens_the_assistant_turn()
    {
        var text = ChatTemplates.Get("chatml").Render(Conversation, addGenerationPrompt: true);
        Assert.Equal(
            "<|im_start|>system\nAnswer briefly.<|im_end|>\n" +
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n" +
            "<|im_start|>assistant\n4<|im_end|>\n" +
            "<|im_start|>user\nAnd 3+3?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            text);
    }

    [Fact]
    public void Chatml_without_generation_prompt_ends_after_the_last_turn()
    {
        var text = ChatTemplates.Get("chatml").Render([ChatMessage.User("hi")], addGenerationPrompt: false);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n", text);
    }

    [Fact]
    public void Plain_chatml_adds_no_system_prompt_of_its_own()
    {
        var text = ChatTemplates.Get("chatml").Render([ChatMessage.User("hi")], addGenerationPrompt: true);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", text);
    }

    [Fact]
    public void Qwen_template_adds_its_default_system_prompt_only_when_none_is_given()
    {
        var qwen = ChatTemplates.Get("qwen2.5");
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            qwen.Render([ChatMessage.User("hi")], addGenerationPrompt: true));
        Assert.Equal(
            "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            qwen.Render([ChatMessage.System("Be terse."), ChatMessage.User("hi")], addGenerationPrompt: true));
    }

    [Fact]
    public void Llama3_renders_headers_trimmed_content_and_the_begin_token_once()
    {
        var text = ChatTemplates.Get("llama3").Render(
            [ChatMessage.System("Answer briefly. "), ChatMessage.User("\nWhat is 2+2?\n")],
            addGenerationPrompt: true);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nAnswer briefly.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Plain_writes_contents_on_lines_without_special_tokens()
    {
        var plain = ChatTemplates.Get("plain");
        Assert.Equal("What is 2+2?\n", plain.Render([ChatMessage.User("What is 2+2?")], addGenerationPrompt: true));
        Assert.Equal("Answer briefly.\nWhat is 2+2?\n", plain.Render(Conversation[..2], addGenerationPrompt: true));
        Assert.Empty(plain.StopTokens);
    }

    [Fact]
    public void Stop_tokens_name_the_end_of_turn_markers()
    {
        Assert.Equal(["<|im_end|>", "<|endoftext|>"], ChatTemplates.Get("chatml").StopTokens);
        Assert.Equal(["<|eot_id|>", "<|end_of_text|>"], ChatTemplates.Get("llama3").StopTokens);
    }

    [Fact]
    public void Stop_ids_resolve_through_the_tokenizer_and_include_eos()
    {
        var bytes = new ByteTokenizer();
        Assert.Equal([258, 256], ChatTemplates.Get("chatml").StopIds(bytes));
        Assert.Equal([256], ChatTemplates.Get("plain").StopIds(bytes));
        // Llama 3's markers are unknown to the byte tokenizer, so only its eos remains.
        Assert.Equal([256], ChatTemplates.Get("llama3").StopIds(bytes));
    }

    [Fact]
    public void Unknown_template_name_lists_the_known_ones()
    {
        var error = Assert.Throws<EngineException>(() => ChatTemplates.Get("jinja"));
        Assert.Contains("'jinja'", error.Message);
        Assert.Contains("chatml, qwen2.5, llama3, plain", error.Message);
    }

    [Fact]
    public void Template_names_are_case_insensitive()
    {
        Assert.Equal("llama3", ChatTemplates.Get("Llama3").Name);
        Assert.Equal("qwen2.5", ChatTemplates.Get("QWEN2.5").Name);
    }

    [Fact]
    public void Template_is_inferred_from_the_tokenizer()
    {
        Assert.Equal("chatml", ChatTemplates.ForTokenizer(new ByteTokenizer()).Name);
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path);
        Assert.Equal("chatml", ChatTemplates.ForTokenizer(TokenizerLoader.Load(dir.Path)).Name);
        Assert.Equal("plain", ChatTemplates.ForTokenizer(new ByteTokenizer(["<|endoftext|>"], "<|endoftext|>", "<|endoftext|>", "plain")).Name);
    }

    [Fact]
    public void Rendered_chatml_encodes_its_markers_as_single_ids()
    {
        var bytes = new ByteTokenizer();
        var ids = bytes.Encode(ChatTemplates.Get("chatml").Render([ChatMessage.User("hi")], addGenerationPrompt: true));
        Assert.Equal([257, 117, 115, 101, 114, 10, 104, 105, 258, 10, 257, 97, 115, 115, 105, 115, 116, 97, 110, 116, 10], ids);
    }

    [Fact]
    public void Empty_conversation_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => ChatTemplates.Get("chatml").Render([], addGenerationPrompt: true));
    }

    [Theory]
    [InlineData("chatml", "chatml")]
    [InlineData("Llama3", "llama3")]
    [InlineData("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", "jinja")]
    [InlineData("{%- if messages[0]['role'] == 'system' %}{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}", "jinja")]
    [InlineData("{{ messages[0]['content'] }}", "jinja")]
    public void Model_folder_template_is_read_from_tokenizer_config(string chatTemplate, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(
            Path.Combine(dir.Path, "tokenizer_config.json"),
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["chat_template"] = chatTemplate }));
        // A template name selects the built-in; any other text is rendered as Jinja, not guessed from its markers.
        Assert.Equal(expected, ChatTemplates.ForModel(dir.Path, new ByteTokenizer()).Name);
    }

    [Fact]
    public void Model_folder_without_a_template_falls_back_to_the_tokenizer()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        Assert.Equal("chatml", ChatTemplates.ForModel(dir.Path, new ByteTokenizer()).Name);
    }
}
