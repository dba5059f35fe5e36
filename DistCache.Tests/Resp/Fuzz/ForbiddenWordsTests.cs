using System.Text;

namespace DistCache.Tests.Resp.Fuzz;

/// <summary>The screen that keeps the fuzz test honest: no frame that names a canary key or a keyless
/// write reaches the node, however an inline command spells it, while the fuzzer's own commands pass.</summary>
public sealed class ForbiddenWordsTests
{
    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n$8\r\ncanary:1\r\n")]
    [InlineData("SET CANARY:1 x\r\n")]
    [InlineData("FLUSHALL\r\n")]
    [InlineData("fl\"ushdb\"\r\n")]
    [InlineData("\"\\x46LUSHALL\"\r\n")]
    [InlineData("\"\\f\\l\\u\\s\\h\\x61ll\"\r\n")]
    [InlineData("GET \"\\canary:1\"\r\n")]
    [InlineData("CONFIG SET maxmemory 1\r\n")]
    [InlineData("CLIENT KILL ID 1\r\n")]
    public void A_frame_that_spells_a_forbidden_word_is_refused(string frame) =>
        Assert.False(new ForbiddenWords().Allows(Encoding.Latin1.GetBytes(frame)));

    [Fact]
    public void A_word_split_across_two_frames_of_one_connection_is_refused()
    {
        var screen = new ForbiddenWords();
        Assert.True(screen.Allows("GET can"u8.ToArray()));
        Assert.False(screen.Allows("ary:1\r\n"u8.ToArray()));
        Assert.True(new ForbiddenWords().Allows("ary:1\r\n"u8.ToArray()));
    }

    [Fact]
    public void The_fuzzers_well_formed_commands_pass()
    {
        var mutator = new RespFrameMutator(new Random(1), "fuzz-pw-4417");
        var screen = new ForbiddenWords();
        Assert.True(screen.Allows(mutator.Authentication()));
        for (var i = 0; i < 1000; i++)
            Assert.True(screen.Allows(mutator.Command()), Encoding.Latin1.GetString(mutator.Command()));
    }
}
