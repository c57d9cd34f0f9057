using System.Diagnostics;

namespace Raabin.Features.Tests.Cli;

/// <summary>Runs the real <c>raabin</c> command (the built raabin.dll next to the tests) as a user would.</summary>
internal static class RaabinProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunIn(AppContext.BaseDirectory, args);

    public static Result RunIn(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"raabin {string.Join(' ', args)} did not finish");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts raabin without waiting, so a test can signal it while it runs (see <see cref="Running"/>).</summary>
    public static Running Start(params string[] args) => new(Process.Start(StartInfo(AppContext.BaseDirectory, args, defaultSigint: true))!, args);

    // defaultSigint: start raabin with SIGINT at its default disposition. A test run started in the background by a
    // non-interactive shell (`.ci/run &`, nohup) inherits SIGINT as ignored, every child inherits that, and a well-behaved
    // program (.NET's Ctrl+C handling among them) leaves an ignored SIGINT ignored; GNU env resets it before exec.
    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args, bool defaultSigint = false)
    {
        bool reset = defaultSigint && OperatingSystem.IsLinux() && File.Exists("/usr/bin/env");
        var start = new ProcessStartInfo(reset ? "/usr/bin/env" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (reset)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "raabin.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    /// <summary>A raabin process still running: its output is collected as it goes; <see cref="Signal"/> sends it a POSIX signal.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly string[] _args;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        internal Running(Process process, string[] args)
        {
            _process = process;
            _args = args;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public bool HasExited => _process.HasExited;

        /// <summary>Sends a signal by name (INT, TERM) with kill(1); false if the process had already exited.</summary>
        public bool Signal(string name)
        {
            if (_process.HasExited)
            {
                return false;
            }

            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            kill.WaitForExit();
            return kill.ExitCode == 0;
        }

        public Result WaitForExit()
        {
            if (!_process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"raabin {string.Join(' ', _args)} did not finish");
            }

            return new Result(_process.ExitCode, _stdout.Result, _stderr.Result);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
