namespace DistCache.Tests.Serialization;

/// <summary>Events and snapshots exactly as DistCache wrote them before keys became byte strings (formats
/// 3-5, made with the serializer of 8a4c0fe), kept as hex so a later change to the serializer cannot
/// regenerate them. Request id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, value "v" (a string), keys "ключ",
/// "😀k" (a 4-byte UTF-8 character), "a" and "s".</summary>
internal static class StoredFormatFixtures
{
    public const string RequestId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    /// <summary>Format 3 "pc": reply 7; set "ключ" expiring at 1.8e12, evict "😀k", clear "a"'s expiry.</summary>
    public const string Changed3 = "033C2D1E0F5A4B78698796A5B4C3D2E1F0020700000000000000030000000108D0BAD0BBD18ED18701010000007600505C18A30100000205F09F98806B010301610000000000000000";

    /// <summary>Format 5 "pc": set "s" with a sliding window of 1000 ms.</summary>
    public const string Sliding5 = "053C2D1E0F5A4B78698796A5B4C3D2E1F0000200000001017301010000007600505C18A3010000050173E8030000000000000000000000000000";

    /// <summary>Format 4 "pb": <see cref="Changed3"/>'s write, then a delete of "ключ" without request id.</summary>
    public const string Burst4 = "04020000003C2D1E0F5A4B78698796A5B4C3D2E1F0020700000000000000030000000108D0BAD0BBD18ED18701010000007600505C18A30100000205F09F98806B0103016100000000000000000000000000000000000000000000000001010000000208D0BAD0BBD18ED18700";

    /// <summary>Format 3 "ps": "ключ" (version 3), "😀k" (version 4, expiring), one request, next version 5, 1 eviction.</summary>
    public const string Snapshot3 = "030200000008D0BAD0BBD18ED1870101000000760300000000000000000000000000000005F09F98806B010100000076040000000000000000505C18A3010000010000003C2D1E0F5A4B78698796A5B4C3D2E1F002070000000000000005000000000000000100000000000000";

    /// <summary>Format 5 "ps": <see cref="Snapshot3"/> plus "😀k" sliding by 1000 ms.</summary>
    public const string Snapshot5 = "050200000008D0BAD0BBD18ED1870101000000760300000000000000000000000000000005F09F98806B010100000076040000000000000000505C18A3010000010000003C2D1E0F5A4B78698796A5B4C3D2E1F0020700000000000000050000000000000001000000000000000100000005F09F98806BE8030000000000000000000000000000";

    /// <summary>"vw" (the format 1-2 event type, written as 3): "ключ" = "v", a counter.</summary>
    public const string ValueWritten3 = "0308D0BAD0BBD18ED1870101000000763C2D1E0F5A4B78698796A5B4C3D2E1F001";

    /// <summary>"kr": "😀k" removed.</summary>
    public const string KeyRemoved3 = "0305F09F98806B3C2D1E0F5A4B78698796A5B4C3D2E1F0";
}
