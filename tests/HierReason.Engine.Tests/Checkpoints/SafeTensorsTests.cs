using System.Text;
using HierReason.Engine.Checkpoints;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Checkpoints;

public class SafeTensorsTests
{
    private static string WriteRaw(string header, int dataBytes, long? claimedHeaderLength = null)
    {
        var path = Path.Combine(TestModels.TempDir(), "x.safetensors");
        var bytes = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes(claimedHeaderLength ?? bytes.Length));
        stream.Write(bytes);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Round_trip_is_bit_exact(ScalarType dtype)
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var a = randn(3, 5).to(dtype);
        using var b = randn(7).to(dtype);
        using var scalar = tensor(1.5f).to(dtype);
        SafeTensorsWriter.Write(path, [("a", a), ("layer.b", b), ("s", scalar)], metadata: new Dictionary<string, string> { ["note"] = "hi" });

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("hi", file.Metadata["note"]);
        Assert.Equal(SafeTensorDType.Name(dtype), file.Tensors["a"].DType);
        using var a2 = file.Read("a");
        using var b2 = file.Read("layer.b");
        using var s2 = file.Read("s");
        Assert.Equal(dtype, a2.dtype);
        Assert.Equal(new long[] { 3, 5 }, a2.shape);
        Assert.Empty(s2.shape);
        // Compare raw bits, so NaN payloads and signed zeros count too.
        Assert.Equal(a.bytes.ToArray(), a2.bytes.ToArray());
        Assert.Equal(b.bytes.ToArray(), b2.bytes.ToArray());
        Assert.Equal(scalar.bytes.ToArray(), s2.bytes.ToArray());
    }

    [Fact]
    public void Reading_converts_dtype_on_request()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var a = tensor(new float[] { 1f, -2.5f, 3.25f });
        SafeTensorsWriter.Write(path, [("a", a)], dtype: ScalarType.BFloat16);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("BF16", file.Tensors["a"].DType);
        using var back = file.Read("a", dtype: ScalarType.Float32);
        Assert.Equal(new[] { 1f, -2.5f, 3.25f }, back.data<float>().ToArray());
    }

    [Fact]
    public void Integer_tensors_read_back()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var ids = tensor(new long[] { 1, 2, 1L << 40 });
        using var small = tensor(new int[] { -7, 9 });
        SafeTensorsWriter.Write(path, [("ids", ids), ("small", small)]);
        using var file = SafeTensorsFile.Open(path);
        using var ids2 = file.Read("ids");
        using var small2 = file.Read("small");
        Assert.Equal(new long[] { 1, 2, 1L << 40 }, ids2.data<long>().ToArray());
        Assert.Equal(new[] { -7, 9 }, small2.data<int>().ToArray());
    }

    [Fact]
    public void Header_is_padded_to_eight_byte_alignment()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var a = ones(3);
        SafeTensorsWriter.Write(path, [("abc", a)]);
        var headerLength = BitConverter.ToInt64(File.ReadAllBytes(path).AsSpan(0, 8));
        Assert.Equal(0, headerLength % 8);
    }

    [Fact]
    public void Truncated_file_names_the_file_and_tensor()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var a = ones(4);
        using var b = ones(100);
        SafeTensorsWriter.Write(path, [("a", a), ("b", b)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);
        var error = Assert.Throws<EngineException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'b'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(1L << 40)]
    [InlineData(-5L)]
    [InlineData(0L)]
    public void Impossible_header_length_is_reported_not_allocated(long claimed)
    {
        var path = WriteRaw("{}", 16, claimed);
        var error = Assert.Throws<EngineException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("header length", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void File_shorter_than_the_length_prefix_is_truncated()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("truncated", Assert.Throws<EngineException>(() => SafeTensorsFile.Open(path)).Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,32]}}""", "'w'")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[8,4]}}""", "'w'")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}""", "needs 12")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2]}}""", "data_offsets")]
    // 2^32 × 2^32 elements wrap a 64-bit count to 0, which matched the 0 bytes it claimed.
    [InlineData("""{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""", "more elements than any file can hold")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]""", "not valid JSON")]
    public void Corrupt_headers_are_reported_with_the_tensor_name(string header, string expected)
    {
        var path = WriteRaw(header, 16);
        var error = Assert.Throws<EngineException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Unsupported_dtype_fails_on_read_with_its_name()
    {
        var path = WriteRaw("""{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", 4);
        using var file = SafeTensorsFile.Open(path);
        var error = Assert.Throws<EngineException>(() => file.Read("w"));
        Assert.Contains("F8_E4M3", error.Message);
    }

    [Fact]
    public void Missing_file_is_a_user_error()
    {
        var error = Assert.Throws<EngineException>(() => SafeTensorsFile.Open("/nonexistent/model.safetensors"));
        Assert.Contains("/nonexistent/model.safetensors", error.Message);
    }

    [Fact]
    public void Failed_write_leaves_the_previous_file_intact()
    {
        var path = Path.Combine(TestModels.TempDir(), "t.safetensors");
        using var a = ones(2);
        SafeTensorsWriter.Write(path, [("a", a)]);
        var before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("a", a), ("a", a)]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
