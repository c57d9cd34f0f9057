using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Fuzzing;

namespace Raabin.Features.Tests.Fuzzing;

/// <summary>Mutators are deterministic per seed, and each format-aware kind changes the field it names (read back independently).</summary>
public sealed class MutatorTests
{
    private static byte[] Fixture(params string[] parts) => File.ReadAllBytes(TestPaths.Fixture(parts));

    private static SplitMix64 R(long stream) => SplitMix64.ForStream(42, stream);

    [Fact]
    public void Image_and_text_mutants_are_a_function_of_seed_file_seed_and_index()
    {
        foreach (byte[] seed in new[] { Fixture("Jpeg", "crop-420.jpg"), Fixture("Png", "pal8.png"), Fixture("Bmp", "rle8_bottom_up.bmp"), Fixture("Tiff", "lzw_rgb.tif") })
        {
            for (long i = 0; i < 50; i++)
            {
                var a = ImageMutator.Mutate(seed, 7, i);
                var b = ImageMutator.Mutate(seed, 7, i);
                Assert.Equal(a, b with { Data = a.Data });
                Assert.Equal(a.Data, b.Data);
            }

            Assert.True(Enumerable.Range(0, 20).Select(i => Convert.ToHexString(ImageMutator.Mutate(seed, 7, i).Data)).Distinct().Count() >= 18);
            Assert.NotEqual(ImageMutator.Mutate(seed, 7, 3).Data, ImageMutator.Mutate(seed, 8, 3).Data);
        }

        byte[] csv = Fixture("Import", "probs.csv");
        for (long i = 0; i < 50; i++)
        {
            Assert.Equal(TextMutator.Mutate(csv, TextSyntax.Csv, 7, i).Data, TextMutator.Mutate(csv, TextSyntax.Csv, 7, i).Data);
        }
    }

    [Fact]
    public void Every_kind_applies_to_some_fixture_and_changes_the_bytes()
    {
        var seeds = new Dictionary<string, byte[][]>
        {
            ["jpeg."] = [Fixture("Jpeg", "crop-420.jpg"), Fixture("Jpeg", "crop-progressive-420.jpg")],
            ["png."] = [Fixture("Png", "pal8.png"), Fixture("Png", "rgb8.png")],
            ["bmp."] = [Fixture("Bmp", "bgr565_bitfields.bmp"), Fixture("Bmp", "pal8.bmp")],
            ["tiff."] = [Fixture("Tiff", "lzw_rgb_be_pred_strips.tif"), Fixture("Tiff", "pal8_cmap16.tif"), Fixture("Tiff", "rgba_unassoc.tif")],
            ["csv."] = [Fixture("Import", "probs.csv")],
            ["json."] = [Fixture("Import", "records.json"), Fixture("Import", "timm-records.jsonl")],
        };
        var all = new[] { JpegMutator.Kinds, PngMutator.Kinds, BmpMutator.Kinds, TiffMutator.Kinds, TextMutator.CsvKinds, TextMutator.JsonKinds, ByteMutator.Kinds }.SelectMany(k => k);
        foreach (string kind in all)
        {
            byte[][] inputs = seeds.FirstOrDefault(p => kind.StartsWith(p.Key, StringComparison.Ordinal)).Value ?? [Fixture("Jpeg", "tiny-4x4-420.jpg")];
            int applied = 0;
            foreach (byte[] input in inputs)
            {
                for (long s = 0; s < 10; s++)
                {
                    var m = Apply(kind, input, R(s));
                    if (m is not null)
                    {
                        applied++;
                        Assert.Equal(kind, m.Kind);
                        Assert.NotEqual(input, m.Data);
                    }
                }
            }

            Assert.True(applied > 0, kind);
        }
    }

    private static Mutation? Apply(string kind, byte[] input, SplitMix64 random) => kind.Split('.')[0] switch
    {
        "jpeg" => JpegMutator.Apply(input, kind, random),
        "png" => PngMutator.Apply(input, kind, random),
        "bmp" => BmpMutator.Apply(input, kind, random),
        "tiff" => TiffMutator.Apply(input, kind, random),
        "csv" or "json" => TextMutator.Apply(input, kind, random),
        _ => ByteMutator.Apply(input, kind, random),
    };

    // --- JPEG: an independent marker walk (up to the first SOS), then the field compared.
    private static List<(byte Marker, int Payload, int Length)> JpegHeaders(byte[] d)
    {
        var list = new List<(byte, int, int)>();
        int i = 2;
        while (i + 4 <= d.Length && d[i] == 0xFF)
        {
            byte m = d[i + 1];
            int len = (d[i + 2] << 8) | d[i + 3];
            list.Add((m, i + 4, len - 2));
            if (m == 0xDA)
            {
                break;
            }

            i += 2 + len;
        }

        return list;
    }

    private static byte[] JpegField(byte[] d, byte marker, int from, int count)
    {
        var (_, payload, _) = JpegHeaders(d).First(h => h.Marker == marker);
        return d[(payload + from)..(payload + from + count)];
    }

    private static byte[] JpegPayloads(byte[] d, byte marker) =>
        JpegHeaders(d).Where(h => h.Marker == marker).SelectMany(h => d[h.Payload..(h.Payload + h.Length)]).ToArray();

    [Theory]
    [InlineData("jpeg.sof-precision", 0, 1)]
    [InlineData("jpeg.sof-height", 1, 2)]
    [InlineData("jpeg.sof-width", 3, 2)]
    [InlineData("jpeg.sof-components", 5, 1)]
    public void Jpeg_sof_kinds_change_their_field_and_nothing_else(string kind, int from, int count)
    {
        byte[] seed = Fixture("Jpeg", "crop-420.jpg");
        for (long s = 0; s < 20; s++)
        {
            var m = JpegMutator.Apply(seed, kind, R(s))!;
            Assert.NotEqual(JpegField(seed, 0xC0, from, count), JpegField(m.Data, 0xC0, from, count));
            Assert.Equal(seed.Length, m.Data.Length);
            Assert.InRange(seed.Zip(m.Data).Count(p => p.First != p.Second), 1, count);
        }
    }

    [Theory]
    [InlineData("jpeg.sof-component-id", 0xC0)]
    [InlineData("jpeg.sof-sampling", 0xC0)]
    [InlineData("jpeg.sof-quant-selector", 0xC0)]
    [InlineData("jpeg.dht-class-id", 0xC4)]
    [InlineData("jpeg.dht-counts", 0xC4)]
    [InlineData("jpeg.dht-symbols", 0xC4)]
    [InlineData("jpeg.dqt-precision-id", 0xDB)]
    [InlineData("jpeg.dqt-values", 0xDB)]
    [InlineData("jpeg.sos-components", 0xDA)]
    [InlineData("jpeg.sos-selector", 0xDA)]
    [InlineData("jpeg.sos-tables", 0xDA)]
    [InlineData("jpeg.sos-spectral", 0xDA)]
    [InlineData("jpeg.sos-approximation", 0xDA)]
    public void Jpeg_table_and_scan_kinds_change_only_their_segments(string kind, byte marker)
    {
        byte[] seed = Fixture("Jpeg", "crop-420.jpg");
        for (long s = 0; s < 20; s++)
        {
            var m = JpegMutator.Apply(seed, kind, R(s))!;
            Assert.NotEqual(JpegPayloads(seed, marker), JpegPayloads(m.Data, marker));
            foreach (byte other in new byte[] { 0xC0, 0xC4, 0xDB, 0xDA }.Where(o => o != marker))
            {
                Assert.Equal(JpegPayloads(seed, other), JpegPayloads(m.Data, other));
            }
        }
    }

    [Fact]
    public void Jpeg_restart_interval_changes_dri_or_adds_one()
    {
        byte[] withDri = Fixture("Jpeg", "crop-restart-1row.jpg");
        byte[] without = Fixture("Jpeg", "crop-420.jpg");
        for (long s = 0; s < 20; s++)
        {
            Assert.NotEqual(JpegPayloads(withDri, 0xDD), JpegPayloads(JpegMutator.Apply(withDri, "jpeg.restart-interval", R(s))!.Data, 0xDD));
            Assert.Empty(JpegPayloads(without, 0xDD));
            Assert.Equal(2, JpegPayloads(JpegMutator.Apply(without, "jpeg.restart-interval", R(s))!.Data, 0xDD).Length);
        }
    }

    // --- PNG: IHDR at its fixed place (offset 16), the PLTE chunk found by walking.
    [Theory]
    [InlineData("png.ihdr-width", 16, 4)]
    [InlineData("png.ihdr-height", 20, 4)]
    [InlineData("png.ihdr-depth", 24, 1)]
    [InlineData("png.ihdr-colour-type", 25, 1)]
    [InlineData("png.ihdr-interlace", 28, 1)]
    public void Png_ihdr_kinds_change_their_field(string kind, int offset, int count)
    {
        byte[] seed = Fixture("Png", "rgb8.png");
        int crcFixed = 0;
        for (long s = 0; s < 20; s++)
        {
            var m = PngMutator.Apply(seed, kind, R(s))!;
            Assert.NotEqual(seed[offset..(offset + count)], m.Data[offset..(offset + count)]);
            Assert.Equal(seed[..offset], m.Data[..offset]);
            bool crcOk = Raabin.Features.Imaging.Png.PngCrc.Compute(m.Data.AsSpan(12, 17)) == (uint)((m.Data[29] << 24) | (m.Data[30] << 16) | (m.Data[31] << 8) | m.Data[32]);
            Assert.Equal(m.Detail.EndsWith("(CRC fixed)", StringComparison.Ordinal), crcOk);
            crcFixed += crcOk ? 1 : 0;
        }

        Assert.InRange(crcFixed, 8, 19);
    }

    [Fact]
    public void Png_plte_length_gives_a_palette_of_another_size()
    {
        byte[] seed = Fixture("Png", "pal8.png");
        static int PlteLength(byte[] d)
        {
            int at = 8;
            while (true)
            {
                int len = (d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3];
                if (System.Text.Encoding.ASCII.GetString(d, at + 4, 4) == "PLTE")
                {
                    return len;
                }

                at += 12 + len;
            }
        }

        for (long s = 0; s < 20; s++)
        {
            Assert.NotEqual(PlteLength(seed), PlteLength(PngMutator.Apply(seed, "png.plte-length", R(s))!.Data));
        }
    }

    // --- BMP: fields at the fixed offsets of BITMAPFILEHEADER + BITMAPINFOHEADER.
    [Theory]
    [InlineData("bmp.data-offset", 10, 4)]
    [InlineData("bmp.header-size", 14, 4)]
    [InlineData("bmp.width", 18, 4)]
    [InlineData("bmp.height", 22, 4)]
    [InlineData("bmp.height-sign", 22, 4)]
    [InlineData("bmp.bit-count", 28, 2)]
    [InlineData("bmp.compression", 30, 4)]
    [InlineData("bmp.colours-used", 46, 4)]
    public void Bmp_kinds_change_their_field_and_nothing_else(string kind, int offset, int count)
    {
        byte[] seed = Fixture("Bmp", "pal8.bmp");
        for (long s = 0; s < 20; s++)
        {
            var m = BmpMutator.Apply(seed, kind, R(s))!;
            Assert.NotEqual(seed[offset..(offset + count)], m.Data[offset..(offset + count)]);
            Assert.Equal(seed[..offset], m.Data[..offset]);
            Assert.Equal(seed[(offset + count)..], m.Data[(offset + count)..]);
        }

        if (kind == "bmp.height-sign")
        {
            var m = BmpMutator.Apply(seed, kind, R(0))!;
            Assert.Equal(-BitConverter.ToInt32(seed, 22), BitConverter.ToInt32(m.Data, 22));
        }
    }

    // --- TIFF: an independent IFD walk; the named tag's entry or its out-of-line values must change, nothing else.
    private static Dictionary<int, byte[]> TiffTags(byte[] d)
    {
        bool be = d[0] == 'M';
        int U16(int at) => be ? (d[at] << 8) | d[at + 1] : d[at] | (d[at + 1] << 8);
        int U32(int at) => be ? (d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3] : d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24);
        int ifd = U32(4);
        var tags = new Dictionary<int, byte[]>();
        for (int i = 0; i < U16(ifd); i++)
        {
            int e = ifd + 2 + 12 * i;
            int type = U16(e + 2), count = U32(e + 4);
            int size = count * (type switch { 3 => 2, 4 => 4, 5 => 8, _ => 1 });
            tags[U16(e)] = size <= 4 ? d[e..(e + 12)] : [.. d[e..(e + 12)], .. d[U32(e + 8)..(U32(e + 8) + size)]];
        }

        return tags;
    }

    [Theory]
    [InlineData("tiff.width", 256)]
    [InlineData("tiff.height", 257)]
    [InlineData("tiff.bits-per-sample", 258)]
    [InlineData("tiff.compression", 259)]
    [InlineData("tiff.photometric", 262)]
    [InlineData("tiff.strip-offsets", 273)]
    [InlineData("tiff.samples-per-pixel", 277)]
    [InlineData("tiff.rows-per-strip", 278)]
    [InlineData("tiff.strip-byte-counts", 279)]
    [InlineData("tiff.predictor", 317)]
    [InlineData("tiff.planar", 284)]
    public void Tiff_tag_kinds_change_their_tag_and_no_other(string kind, int tag)
    {
        foreach (string file in (string[])["lzw_rgb_be_pred_strips.tif", "lzw_rgb_planar_pred.tif"])
        {
            byte[] seed = Fixture("Tiff", file);
            var before = TiffTags(seed);
            for (long s = 0; s < 20; s++)
            {
                var m = TiffMutator.Apply(seed, kind, R(s))!;
                var after = TiffTags(m.Data);
                Assert.NotEqual(before[tag], after[tag]);
                foreach (var (other, bytes) in before.Where(p => p.Key != tag))
                {
                    Assert.Equal(bytes, after[other]);
                }
            }
        }
    }

    [Fact]
    public void Tiff_colour_map_and_structure_kinds_change_what_they_name()
    {
        byte[] pal = Fixture("Tiff", "pal8_cmap16.tif");
        byte[] rgb = Fixture("Tiff", "rgba_unassoc.tif");
        for (long s = 0; s < 20; s++)
        {
            Assert.NotEqual(TiffTags(pal)[320], TiffTags(TiffMutator.Apply(pal, "tiff.colour-map", R(s))!.Data)[320]);
            Assert.NotEqual(TiffTags(rgb)[338], TiffTags(TiffMutator.Apply(rgb, "tiff.extra-samples", R(s))!.Data)[338]);
            Assert.NotEqual(rgb[4..8], TiffMutator.Apply(rgb, "tiff.ifd-offset", R(s))!.Data[4..8]);
            var dropped = TiffMutator.Apply(rgb, "tiff.drop-entry", R(s))!.Data;
            Assert.Equal(TiffTags(rgb).Count - 1, TiffTags(dropped).Count);
            Assert.Equal(rgb.Length, dropped.Length);
        }
    }
}
