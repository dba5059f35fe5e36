using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using DistCache.Tests.Partitions;

namespace DistCache.Tests.Serialization;

/// <summary>Transactions in the stored format (9): the transaction's reply, with the replies of reads and
/// refusals in its slots, round-trips and is pinned byte for byte; data without one keeps its older version;
/// a partition rebuilt from the stored bytes answers a retried EXEC as the first time.</summary>
public sealed class TransactionStoredFormatTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Format 9 "pc", request 00…01, reply: a transaction of [counter 2, WRONGTYPE, not found, not
    /// deleted, values ["v", nil], type "string"/"embstr", HMGET {f: "1", g: nil}, flags [true, false]];
    /// change: "k" = int 2. Pinned so a later serializer cannot change the layout.</summary>
    private const string TransactionChanged9 =
        "09000000000000000000000000000000011E01080000000202000000000000001F0900000000000000000000000000000000" +
        "04002D200200000001010100000076002106737472696E670106656D62737472220200000001660101000000310167002302" +
        "00000001000100000001016B020800000002000000000000000000000000000000";

    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private static readonly Guid Exec = new("00000000-0000-0000-0000-000000000001");

    private static TransactionResult Result() => new([
        new CounterValue(2),
        new Rejected(CacheErrorCode.WrongType),
        new Found(null),
        new Deleted(false),
        new Values([new CacheValue(ValueKind.String, "v"u8.ToArray()), null]),
        new KeyDescription("string", "embstr"),
        new HashEntries([new HashField("f", "1"u8.ToArray()), new HashField("g", null!)]),
        new MemberFlags([true, false]),
    ]);

    private static PartitionChanged Write() => new(Exec, Result(), [new EntrySet("k", new CacheValue(ValueKind.Int64, BitConverter.GetBytes(2L)), 0)]);

    [Fact]
    public void A_transactions_write_is_format_9_and_reads_back_slot_by_slot()
    {
        var bytes = Serializer.ToBinary(Write());
        Assert.Equal(9, bytes[0]);
        Assert.Equal(TransactionChanged9, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        var replies = Assert.IsType<TransactionResult>(read.Reply).Replies!;
        Assert.Equal(8, replies.Length);
        Assert.Equal(new CounterValue(2), replies[0]);
        Assert.Equal(new Rejected(CacheErrorCode.WrongType), replies[1]);
        Assert.Equal(new Found(null), replies[2]);
        Assert.Equal(new Deleted(false), replies[3]);
        var values = Assert.IsType<Values>(replies[4]).Items;
        Assert.Equal(("v", null), (System.Text.Encoding.UTF8.GetString(values[0]!.Data), values[1]));
        Assert.Equal(new KeyDescription("string", "embstr"), replies[5]);
        var fields = Assert.IsType<HashEntries>(replies[6]).Fields;
        Assert.Equal(("f", "31", "g"), (fields[0].Field.ToString(), Convert.ToHexString(fields[0].Value), fields[1].Field.ToString()));
        Assert.Null(fields[1].Value);
        Assert.Equal([true, false], Assert.IsType<MemberFlags>(replies[7]).Found);
        Assert.Same(TransactionResult.Aborted, ((PartitionChanged)Serializer.FromBinary(
            Serializer.ToBinary(new PartitionChanged(Exec, TransactionResult.Aborted, [])), "pc")).Reply);
        // A burst holding one, and a snapshot remembering one, are format 9 too; without one they keep their version.
        Assert.Equal(9, Serializer.ToBinary(new PartitionBurst([Write(), new PartitionChanged(Guid.Empty, Stored.Instance, [])]))[0]);
        Assert.Equal(9, Serializer.ToBinary(new PartitionSnapshot([], [new(Exec, Result())]))[0]);
        Assert.Equal(3, Serializer.ToBinary(new PartitionChanged(Exec, Stored.Instance, [new EntryRemoved("k")]))[0]);
        // A lone DEL of a missing key is never journaled, so "deleted" stays the one-byte reply it always was.
        Assert.Equal(3, Serializer.ToBinary(new PartitionChanged(Exec, new Deleted(true), [new EntryRemoved("k")]))[0]);
    }

    [Fact]
    public void A_partition_rebuilt_from_stored_events_or_snapshot_answers_a_retried_exec_as_the_first_time()
    {
        var state = new PartitionState(PartitionLimits.Default);
        var stored = new List<(byte[] Bytes, string Manifest)>();
        var tx = new Transaction([
            new SetValue("{t}a", PartitionTestHarness.Text("x")),
            new IncrementBy("{t}a", 1),
            new HashGetFields("{t}h", ["f"]),
            new ListPush("{t}l", ["e"u8.ToArray()], Left: true),
            new ListRange("{t}l", 0, -1),
            new SortedSetScores("{t}z", ["m"]),
            new DeleteKey("{t}none"),
        ], []);
        var decision = state.Decide(tx, Exec);
        state.Commit(decision);
        stored.Add((Serializer.ToBinary(decision.Event!), Serializer.Manifest(decision.Event!)));
        var first = Assert.IsType<TransactionResult>(decision.Reply);

        var fromEvents = new PartitionState(PartitionLimits.Default);
        foreach (var (bytes, manifest) in stored)
            fromEvents.Apply((ICacheEvent)Serializer.FromBinary(bytes, manifest));
        var fromSnapshot = new PartitionState(PartitionLimits.Default);
        var snapshot = state.ToSnapshot();
        fromSnapshot.Restore((PartitionSnapshot)Serializer.FromBinary(Serializer.ToBinary(snapshot), Serializer.Manifest(snapshot)));
        foreach (var rebuilt in new[] { fromEvents, fromSnapshot })
        {
            Assert.Equal(SetCommandsTests.Describe(state), SetCommandsTests.Describe(rebuilt));
            var retry = rebuilt.Decide(tx, Exec);
            Assert.Null(retry.Event);
            var replies = Assert.IsType<TransactionResult>(retry.Reply).Replies!;
            Assert.Equal(first.Replies!.Length, replies.Length);
            for (var i = 0; i < replies.Length; i++)
                Assert.Equal(Describe(first.Replies[i]), Describe(replies[i]));
        }
    }

    // Records holding arrays compare by reference: compare what they print, arrays spelled out.
    private static string Describe(ICacheReply reply) => reply switch
    {
        ListItems items => "list " + string.Join(",", (items.Items ?? []).Select(Convert.ToHexString)),
        HashEntries entries => "hash " + string.Join(",", entries.Fields.Select(f => $"{f.Field}={(f.Value is null ? "nil" : Convert.ToHexString(f.Value))}")),
        SortedSetEntries entries => "zset " + string.Join(",", entries.Entries.Select(e => e?.ToString() ?? "nil")),
        _ => reply.ToString() ?? "",
    };
}
