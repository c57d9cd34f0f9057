using System.Diagnostics;
using System.Globalization;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Bench;

/// <summary>
/// End-to-end benchmark "jpeg-decode": decodes every PBC JPEG (read into memory first, so the disk is excluded) on one
/// thread with <see cref="JpegDecoder"/>, then times OpenCV's <c>cv2.imdecode</c> (libjpeg-turbo with SIMD,
/// <c>cv2.setNumThreads(1)</c>) on the same bytes in a python3 subprocess, and prints both and their ratio.
/// Arguments: <c>[--limit N] [--passes N] [--no-opencv]</c>.
/// </summary>
public static class JpegDecodeBenchmark
{
    private const string OpenCvScript = """
        import sys, time, statistics
        import numpy as np
        import cv2
        cv2.setNumThreads(1)
        paths = [line.rstrip("\n") for line in open(sys.argv[1]) if line.strip()]
        passes = int(sys.argv[2])
        blobs = [np.frombuffer(open(p, "rb").read(), dtype=np.uint8) for p in paths]
        for blob in blobs[:50]:
            cv2.imdecode(blob, cv2.IMREAD_COLOR)
        times = []
        for _ in range(passes):
            for blob in blobs:
                start = time.perf_counter_ns()
                image = cv2.imdecode(blob, cv2.IMREAD_COLOR)
                times.append(time.perf_counter_ns() - start)
                if image is None:
                    raise SystemExit("imdecode failed")
        print(f"{statistics.median(times) / 1e6!r} {statistics.fmean(times) / 1e6!r}")
        """;

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        int limit = int.MaxValue;
        int passes = 1;
        bool withOpenCv = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--limit":
                    limit = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--passes":
                    passes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--no-opencv":
                    withOpenCv = false;
                    break;
                default:
                    Console.Error.WriteLine($"jpeg-decode: unknown argument {args[i]}");
                    return 2;
            }
        }

        string root = Path.Combine(EndToEnd.SharedRoot(), "datasets", "pbc", "images");
        if (!Directory.Exists(root))
        {
            root = Path.Combine(EndToEnd.SharedRoot(), "pbc", "images");
        }

        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"jpeg-decode: no PBC images under {root}");
            return 1;
        }

        var paths = Directory.GetFiles(root, "*.jpg", SearchOption.AllDirectories);
        Array.Sort(paths, StringComparer.Ordinal);
        if (paths.Length > limit)
        {
            paths = paths[..limit];
        }

        var files = new byte[paths.Length][];
        long totalBytes = 0;
        for (int i = 0; i < paths.Length; i++)
        {
            files[i] = File.ReadAllBytes(paths[i]);
            totalBytes += files[i].Length;
        }

        Console.WriteLine($"jpeg-decode: {paths.Length} PBC JPEGs, {totalBytes / 1e6:F1} MB, {passes} pass(es), one thread");

        // Warm-up: JIT and tiered compilation.
        for (int i = 0; i < Math.Min(200, files.Length); i++)
        {
            JpegDecoder.Decode(files[i], paths[i], DecoderOptions.Default);
        }

        var times = new double[files.Length * passes];
        long pixels = 0;
        int n = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < files.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                var image = JpegDecoder.Decode(files[i], paths[i], DecoderOptions.Default);
                times[n++] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                pixels += (long)image.Width * image.Height;
            }
        }

        double median = Median(times);
        double mean = times.Average();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Raabin JpegDecoder : median {median:F4} ms/image, mean {mean:F4} ms/image, {pixels / (times.Sum() / 1000) / 1e6:F1} Mpixel/s"));

        if (!withOpenCv)
        {
            return 0;
        }

        string list = Path.GetTempFileName();
        string script = Path.ChangeExtension(Path.GetTempFileName(), ".py");
        try
        {
            File.WriteAllLines(list, paths);
            File.WriteAllText(script, OpenCvScript);
            string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            var info = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(list);
            info.ArgumentList.Add(passes.ToString(CultureInfo.InvariantCulture));
            info.Environment["OMP_NUM_THREADS"] = "1";
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"jpeg-decode: OpenCV timing failed: {errors}");
                return 1;
            }

            string[] parts = output.Trim().Split(' ');
            double cvMedian = double.Parse(parts[0], CultureInfo.InvariantCulture);
            double cvMean = double.Parse(parts[1], CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OpenCV cv2.imdecode: median {cvMedian:F4} ms/image, mean {cvMean:F4} ms/image"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio Raabin/OpenCV: median {median / cvMedian:F2}x, mean {mean / cvMean:F2}x"));
            return 0;
        }
        finally
        {
            File.Delete(list);
            File.Delete(script);
        }
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
