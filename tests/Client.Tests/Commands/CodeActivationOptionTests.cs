using System.CommandLine;
using VaeCfCluster.Client.Commands;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Client.Tests.Commands;

/// <summary><c>--code-activation</c>: the DAE's code is tanh (the paper's) unless linear is asked for; the VAE refuses it.</summary>
public sealed class CodeActivationOptionTests
{
    private static AutoencoderConfig Resolve(string arguments)
    {
        var model = new ModelOptions();
        var command = new RootCommand();
        model.AddTo(command);
        var result = command.Parse(arguments);
        Assert.Empty(result.Errors);
        return model.Resolve(result, itemCount: 40);
    }

    [Theory]
    [InlineData("--model dae --code-activation linear", CodeActivation.Linear)]
    [InlineData("--model dae --code-activation tanh", CodeActivation.Tanh)]
    [InlineData("--model dae", CodeActivation.Tanh)]
    public void Resolve_Dae_TakesTheCodeActivation(string arguments, CodeActivation expected) =>
        Assert.Equal(expected, Resolve(arguments).CodeActivation);

    [Fact]
    public void Resolve_LinearCodeOnTheVae_IsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => Resolve("--model vae --code-activation linear"));
        Assert.Contains("CodeActivation", error.Message);
        Assert.Contains("already linear", error.Message);
    }
}
