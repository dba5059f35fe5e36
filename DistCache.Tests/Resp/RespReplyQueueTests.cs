using System.Buffers;
using System.IO.Pipelines;
using DistCache.Host.Resp;

namespace DistCache.Tests.Resp;

/// <summary>The reply queue's writes, against an output that records each send.</summary>
public sealed class RespReplyQueueTests
{
    [Fact]
    public async Task A_large_array_reply_goes_out_item_by_item_never_whole_in_the_buffer()
    {
        // An MGET naming one 100 KB value 200 times: 20 MB of reply.
        var value = new byte[100 * 1024];
        Random.Shared.NextBytes(value);
        var reply = new RespArray(Enumerable.Range(0, 200).Select(_ => (RespValue)new RespBulk(value)).ToArray());
        var output = new RecordingWriter();
        var queue = new RespReplyQueue(output, CancellationToken.None);
        queue.Add(RespPendingReply.Ready(reply, protocol: 2));
        queue.Add(RespPendingReply.Ready(RespValue.Pong, protocol: 2));
        await queue.Write();

        var expected = new ArrayBufferWriter<byte>();
        RespWriter.Write(expected, reply, 2);
        RespWriter.Write(expected, RespValue.Pong, 2);
        Assert.True(expected.WrittenSpan.SequenceEqual(output.Sent.ToArray()), "the bytes sent differ from the replies");
        Assert.True(output.LargestSend <= 64 * 1024 + value.Length + 64, $"one send held {output.LargestSend} bytes");
    }

    private sealed class RecordingWriter : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _pending = new();

        public MemoryStream Sent { get; } = new();

        public long LargestSend { get; private set; }

        public override bool CanGetUnflushedBytes => true;

        public override long UnflushedBytes => _pending.WrittenCount;

        public override void Advance(int bytes) => _pending.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            LargestSend = Math.Max(LargestSend, _pending.WrittenCount);
            Sent.Write(_pending.WrittenSpan);
            _pending.Clear();
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
