namespace DistCache.Host.Resp;

/// <summary>CLIENT REPLY ON|OFF|SKIP for one connection (src/networking.c clientCommand and
/// commandProcessed): OFF silences every reply until ON; SKIP silences the next command's only. Neither OFF
/// nor SKIP is answered itself, ON is. Only the connection's read loop touches it.</summary>
public sealed class RespReplySwitch
{
    private bool _off;
    private bool _skipNext;

    public void On() => (_off, _skipNext) = (false, false);

    public void Off() => _off = true;

    public void Skip() => _skipNext = true;

    /// <summary>Called before a command runs: whether an earlier SKIP silences it (and uses the SKIP up).</summary>
    public bool TakeSkip()
    {
        var skip = _skipNext;
        _skipNext = false;
        return skip;
    }

    /// <summary>Called once the command ran: its reply is dropped when an earlier SKIP applies to it, when
    /// replies are off (OFF itself included), or when it was the SKIP (which set the flag again).</summary>
    public bool Silences(bool skipped) => skipped || _off || _skipNext;
}
