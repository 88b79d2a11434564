using System.Text.Json;
using HierReason.Engine.Chat;
using HierReason.Engine.Chat.Jinja;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Chat;

/// <summary>Real models' chat templates (Templates/*.tokenizer_config.json) rendered through a model folder, compared with
/// what transformers' jinja2 setup renders (Templates/expected.json, written by Templates/render_expected.py).</summary>
public class JinjaChatTemplateTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Chat", "Templates");

    private static readonly ChatMessage[] NoSystem =
    [
        ChatMessage.User("What is 2 + 2?"),
        ChatMessage.Assistant("<think>\nAdd the numbers.\n</think>\n\nIt is 4. "),
        ChatMessage.User("And 3 + 3?"),
    ];

    private static readonly ChatMessage[] WithSystem = [ChatMessage.System("You are a terse assistant."), .. NoSystem];

    private static readonly ChatMessage[] Tricky =
    [
        ChatMessage.System("  Sys {{ not }} 'q' \"dq\" \n"),
        ChatMessage.User("ünïcödé 😀 {% raw %} <|im_end|>"),
        ChatMessage.Assistant(""),
        ChatMessage.User("a\n\n  b  "),
    ];

    public static TheoryData<string> Models =>
    [
        "qwen2.5-instruct", "llama-3.1-instruct", "mistral-7b-instruct-v0.3", "gemma-2-it", "phi-3-mini",
        "deepseek-r1-distill-qwen", "smollm2-instruct", "tinyllama-chat", "qwen3", "gemma-3-it", "phi-4", "mixtral-8x7b-instruct",
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_template_renders_what_transformers_renders(string model)
    {
        using var dir = ModelFolder(model);
        var template = Assert.IsType<JinjaChatTemplate>(ChatTemplates.ForModel(dir.Path, new ByteTokenizer()));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        foreach (var (conversation, messages) in new[] { ("chat", WithSystem), ("no_system", NoSystem), ("tricky", Tricky), ("single_user", [ChatMessage.User("hi")]) })
        {
            foreach (var generation in new[] { true, false })
            {
                var want = expected.RootElement.GetProperty(model).GetProperty(conversation).GetProperty(generation ? "generation" : "no_generation");
                if (want.ValueKind == JsonValueKind.String)
                {
                    Assert.Equal(want.GetString(), template.Render(messages, generation));
                    continue;
                }

                var error = Assert.Throws<JinjaException>(() => template.Render(messages, generation));
                Assert.EndsWith(want.GetProperty("error").GetString()!, error.Message);
            }
        }
    }

    [Theory]
    [InlineData("qwen2.5-instruct", "<|im_end|>")]
    [InlineData("smollm2-instruct", "<|im_end|>")]
    [InlineData("qwen3", "<|im_end|>")]
    [InlineData("llama-3.1-instruct", "<|eot_id|>")]
    [InlineData("mistral-7b-instruct-v0.3", "</s>")]
    [InlineData("gemma-2-it", "<end_of_turn>")]
    [InlineData("phi-3-mini", "<|end|>")]
    [InlineData("deepseek-r1-distill-qwen", "<｜end▁of▁sentence｜>")]
    [InlineData("tinyllama-chat", "</s>")]
    [InlineData("gemma-3-it", "<end_of_turn>")]
    [InlineData("phi-4", "<|im_end|>")]
    [InlineData("mixtral-8x7b-instruct", "</s>")]
    public void End_of_turn_is_the_token_written_after_an_assistant_reply(string model, string endOfTurn)
    {
        using var dir = ModelFolder(model);
        var template = (JinjaChatTemplate)ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        Assert.Equal(endOfTurn, template.EndOfTurn);
        Assert.Equal(endOfTurn, template.StopTokens[0]);
    }

    [Fact]
    public void Stop_tokens_add_the_eos_token_and_the_end_markers_the_template_writes()
    {
        using var gemma = ModelFolder("gemma-2-it");
        Assert.Equal(["<end_of_turn>", "<eos>"], ChatTemplates.ForModel(gemma.Path, new ByteTokenizer()).StopTokens);
        using var llama = ModelFolder("llama-3.1-instruct");
        Assert.Equal(["<|eot_id|>", "<|eom_id|>"], ChatTemplates.ForModel(llama.Path, new ByteTokenizer()).StopTokens);
    }

    [Fact]
    public void Template_that_writes_no_end_marker_stops_on_the_eos_token()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?>
        {
            ["eos_token"] = "<|stop|>",
            ["chat_template"] = "{% for m in messages %}{{ m.role | upper }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}ASSISTANT:{% endif %}",
        });
        var template = (JinjaChatTemplate)ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        Assert.Null(template.EndOfTurn);
        Assert.Equal(["<|stop|>"], template.StopTokens);
        Assert.Equal("SYSTEM: s\nUSER: u\nASSISTANT:", template.Render([ChatMessage.System("s"), ChatMessage.User("u")], true));
    }

    [Fact]
    public void Gemma_rejects_a_system_message_with_its_own_words_and_the_file()
    {
        using var dir = ModelFolder("gemma-2-it");
        var template = ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        var error = Assert.Throws<JinjaException>(() => template.Render(WithSystem, addGenerationPrompt: true));
        Assert.Equal(
            $"{Path.Combine(dir.Path, "tokenizer_config.json")}: chat template line 1, column 59: the template raised an error: System role not supported",
            error.Message);
    }

    [Fact]
    public void Qwen25_real_render_matches_the_builtin_qwen25_template()
    {
        using var dir = ModelFolder("qwen2.5-instruct");
        var real = ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        var builtin = ChatTemplates.Get("qwen2.5");
        foreach (var messages in new[] { WithSystem, NoSystem, [ChatMessage.User("hi")] })
        {
            Assert.Equal(builtin.Render(messages, true), real.Render(messages, true));
            Assert.Equal(builtin.Render(messages, false), real.Render(messages, false));
        }
    }

    [Fact]
    public void Llama31_real_render_adds_the_date_header_the_builtin_llama3_lacks()
    {
        using var dir = ModelFolder("llama-3.1-instruct");
        var real = ChatTemplates.ForModel(dir.Path, new ByteTokenizer()).Render([ChatMessage.User("hi")], true);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            real);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatTemplates.Get("llama3").Render([ChatMessage.User("hi")], true));
    }

    [Theory]
    [InlineData("{% for m in messages %}\n  {{ m.content | wordwrap(10) }}{% endfor %}", 2, 18, "unsupported filter 'wordwrap'")]
    [InlineData("{{ bos_token }}\n{% include 'other.jinja' %}", 2, 4, "unsupported tag '{% include %}'")]
    [InlineData("{% set ns = namespace(a=[]) %}{{ ns.a.append(1) }}", 1, 39, "unsupported method '.append()'")]
    [InlineData("{{ cycler('a', 'b') }}", 1, 4, "unsupported function 'cycler()'")]
    [InlineData("{% if x is divisible 3 %}{% endif %}", 1, 12, "unsupported test 'is divisible'")]
    [InlineData("{% for m in messages recursive %}{% endfor %}", 1, 22, "unsupported 'recursive' for loop")]
    [InlineData("{% if true %}\n\nno end", 3, 7, "template ended without '{% endif %}'")]
    [InlineData("{{ 'open }}", 1, 4, "string literal is never closed")]
    [InlineData("{{ '%s!' % messages[0].content }}", 1, 10, "unsupported printf-style string formatting")]
    public void Unsupported_construct_fails_at_load_naming_file_line_and_column(string text, int line, int column, string what)
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?> { ["chat_template"] = text });
        var error = Assert.Throws<JinjaException>(() => ChatTemplates.ForModel(dir.Path, new ByteTokenizer()));
        Assert.StartsWith($"{Path.Combine(dir.Path, "tokenizer_config.json")}: chat template line {line}, column {column}: {what}", error.Message);
    }

    [Fact]
    public void List_form_uses_the_template_named_default()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?>
        {
            ["eos_token"] = "</s>",
            ["chat_template"] = new[]
            {
                new Dictionary<string, string> { ["name"] = "tool_use", ["template"] = "TOOLS" },
                new Dictionary<string, string> { ["name"] = "default", ["template"] = "{% for m in messages %}{{ m.role }}: {{ m.content }}{{ eos_token }}{% endfor %}" },
            },
        });
        var template = ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        Assert.Equal("user: hi</s>", template.Render([ChatMessage.User("hi")], true));
    }

    [Fact]
    public void List_form_without_default_names_the_file_and_the_templates_found()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?>
        {
            ["chat_template"] = new[] { new Dictionary<string, string> { ["name"] = "tool_use", ["template"] = "x" }, new Dictionary<string, string> { ["name"] = "rag", ["template"] = "y" } },
        });
        var error = Assert.Throws<EngineException>(() => ChatTemplates.ForModel(dir.Path, new ByteTokenizer()));
        Assert.Equal($"{Path.Combine(dir.Path, "tokenizer_config.json")}: chat_template: the list has no template named \"default\" (found: tool_use, rag)", error.Message);
    }

    [Fact]
    public void Error_in_a_list_form_template_names_the_entry()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?>
        {
            ["chat_template"] = new[] { new Dictionary<string, string> { ["name"] = "default", ["template"] = "{{ x | nope }}" } },
        });
        var error = Assert.Throws<JinjaException>(() => ChatTemplates.ForModel(dir.Path, new ByteTokenizer()));
        Assert.StartsWith($"{Path.Combine(dir.Path, "tokenizer_config.json")} (chat_template[0], \"default\"): chat template line 1, column 8: unsupported filter 'nope'", error.Message);
    }

    [Fact]
    public void Chat_template_jinja_file_is_used_when_the_config_has_none()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?> { ["eos_token"] = "<|end|>" });
        File.WriteAllText(Path.Combine(dir.Path, "chat_template.jinja"), "{% for m in messages %}\n<{{ m.role }}>{{ m.content }}{{ eos_token }}\n{% endfor %}\n");
        var template = ChatTemplates.ForModel(dir.Path, new ByteTokenizer());
        Assert.Equal("<user>hi<|end|>\n", template.Render([ChatMessage.User("hi")], true));
    }

    [Fact]
    public void Named_template_in_the_config_selects_the_builtin()
    {
        using var dir = new TempDir();
        WriteConfig(dir.Path, new Dictionary<string, object?> { ["chat_template"] = "llama3" });
        Assert.IsType<Llama3Template>(ChatTemplates.ForModel(dir.Path, new ByteTokenizer()));
    }

    private static TempDir ModelFolder(string model)
    {
        var dir = new TempDir();
        File.Copy(Path.Combine(Folder, model + ".tokenizer_config.json"), Path.Combine(dir.Path, TokenizerFiles.TokenizerConfig));
        return dir;
    }

    private static void WriteConfig(string dir, Dictionary<string, object?> config) =>
        File.WriteAllText(Path.Combine(dir, TokenizerFiles.TokenizerConfig), JsonSerializer.Serialize(config));
}
