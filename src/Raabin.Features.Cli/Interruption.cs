using System.Runtime.InteropServices;

namespace Raabin.Features.Cli;

/// <summary>
/// The one place the CLI handles SIGINT (Ctrl+C) and SIGTERM: while listening, the first signal cancels
/// <see cref="Token"/> instead of killing the process, so a batch can stop at a row boundary, keep its finished rows and
/// exit with <see cref="CliOutput.Interrupted"/>. A second signal is left to its default action (the process ends at once).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration? _terminate;
    private int _signals;

    private Interruption()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGTERM here (e.g. some Windows hosts): Ctrl+C still works.
        }
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that cancelled <see cref="Token"/> (<c>SIGINT</c> or <c>SIGTERM</c>), or null.</summary>
    public string? Signal { get; private set; }

    /// <summary>Starts turning SIGINT and SIGTERM into cancellation until disposed.</summary>
    public static Interruption Listen() => new();

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate?.Dispose();
        _cancel.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Request(e.SpecialKey == ConsoleSpecialKey.ControlBreak ? "SIGQUIT" : "SIGINT");

    private void OnTerminate(PosixSignalContext context) => context.Cancel = Request("SIGTERM");

    // True: handled here (the process keeps running to stop cleanly); false: a repeated signal, let it end the process.
    private bool Request(string signal)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            return false;
        }

        Signal = signal;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command has already finished and stopped listening.
        }

        return true;
    }
}
