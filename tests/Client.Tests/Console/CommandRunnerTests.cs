using System.Runtime.InteropServices;
using VaeCfCluster.Client.Console;

namespace VaeCfCluster.Client.Tests.Console;

public sealed class CommandRunnerTests
{
    [Fact]
    public void UnexpectedError_LibTorchMessageWithNativeStack_ShowsOnlyItsFirstLine()
    {
        // The shape of the message LibTorch gave when a freed tensor reached it during a checkpoint write.
        var error = new ExternalException("Unsupported TypeMeta in ATen:  (please report this error)\n" +
            "Exception raised from error_unsupported_typemeta at /pytorch/c10/util/typeid.cpp:17 (most recent call first):\n" +
            "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0xb0 (0x7f62353871a0 in libc10.so)\n");

        string line = CommandRunner.UnexpectedError(error);

        Assert.Equal("error: unexpected ExternalException: Unsupported TypeMeta in ATen:  (please report this error) " +
                     "(set VAECF_DEBUG=1 for details)", line);
    }

    [Fact]
    public void Run_UnexpectedException_ExitsWithOne()
    {
        Assert.Equal(1, CommandRunner.Run(() => throw new InvalidOperationException("first\nsecond")));
    }

    [Fact]
    public void Run_InputErrorsExitWithTwo_ButANullArgumentIsUnexpected()
    {
        Assert.Equal(2, CommandRunner.Run(() => throw new ArgumentException("--epochs must be at least 1.")));
        Assert.Equal(2, CommandRunner.Run(() => throw new ArgumentOutOfRangeException("threads", "threads must be 0 or positive.")));
        // "Value cannot be null." says nothing to the user: a defect here, shown as unexpected with how to see more.
        Assert.Equal(1, CommandRunner.Run(() => throw new ArgumentNullException("scorer")));
    }
}
