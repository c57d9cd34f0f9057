namespace Raabin.Features.Measurement;

public static partial class FeatureCatalog
{
    /// <summary>Citation of the study the od-groups features build on.</summary>
    public const string RobustStudyReference =
        "Raabin.Features robust-features study (../shared/reference/robust-study, feat.py): canonical-scale features of the " +
        "central cell in optical density";

    /// <summary>Citation of the classical shape measurements (region properties).</summary>
    public const string RegionPropsReference =
        "scikit-image regionprops (solidity, eccentricity; van der Walt et al., PeerJ 2:e453, 2014); CellProfiler " +
        "MeasureObjectSizeShape (FormFactor 4πA/P², Solidity, Eccentricity; Stirling et al., BMC Bioinformatics 22:433, 2021)";

    /// <summary>Citation of the convexity defects.</summary>
    public const string ConvexityDefectsReference =
        "OpenCV convexityDefects (Sklansky hull; depth = distance of the deepest contour point from the hull edge)";

    /// <summary>Citation of optical density.</summary>
    public const string OpticalDensityReference =
        "Ruifrok A. C., Johnston D. A. Quantification of histochemical staining by color deconvolution. Anal Quant Cytol " +
        "Histol 23:291-299 (2001): OD = −log10(I / I₀)";

    /// <summary>Citation of the Laplacian-of-Gaussian energy.</summary>
    public const string LogReference =
        "Lindeberg T. Feature detection with automatic scale selection. Int J Comput Vis 30:79-116 (1998); OpenCV " +
        "GaussianBlur + Laplacian";

    /// <summary>Citation of the local binary patterns.</summary>
    public const string LbpReference =
        "Ojala T., Pietikäinen M., Mäenpää T. Multiresolution gray-scale and rotation invariant texture classification with " +
        "local binary patterns. IEEE TPAMI 24:971-987 (2002); scikit-image local_binary_pattern(P=8, R=1, 'uniform')";

    /// <summary>Citation of the Zhang-Suen thinning used by the skeleton features.</summary>
    public const string SkeletonReference =
        "Zhang T. Y., Suen C. Y. A fast parallel algorithm for thinning digital patterns. Commun ACM 27:236-239 (1984); " +
        "scikit-image 0.19 skeletonize (2-D)";

    /// <summary>Citation of the dynamics (h-maxima) of the distance transform.</summary>
    public const string DynamicsReference =
        "Grimaud M. New measure of contrast: the dynamics. Proc SPIE 1769 (1992); Soille P. Morphological Image Analysis, " +
        "2nd ed., Springer 2003 (h-maxima, regional maxima of the distance transform)";

    /// <summary>How the od-groups extractor prepares the cell before measuring (the "canonical view" the formulas name).</summary>
    public const string CanonicalViewDescription =
        "OD planes R, G, B of the input against the segmenter's background (clipped to [0, 3]); a window centred on the " +
        "whole cell's centroid, half-size ceil(0.8 · d) with d = 2·sqrt(cell px / π), clipped to the image, resampled by " +
        "k = 64 / d (OpenCV INTER_AREA when k < 1, INTER_LINEAR otherwise) so the cell's equivalent diameter is 64 px; the " +
        "nucleus and cell masks (0/1) resampled the same way and thresholded at > 0.5, each closed then opened with a 3×3 " +
        "ellipse, the cell joined to the nucleus; cytoplasm = cell minus nucleus (a 3-px ring around the nucleus when that " +
        "has fewer than 10 px). A nucleus of fewer than 20 px at this scale is not measured. Texture regions are the masks " +
        "eroded by a 3×3 ellipse (the mask itself when fewer than 10 px remain). ΣOD = OD_R + OD_G + OD_B.";

    /// <summary>The group names of the od-groups extractor, in output order.</summary>
    public static readonly IReadOnlyList<string> OdGroupNames = ["shape", "colour", "texture-coarse", "texture-fine", "targeted"];

    /// <summary>
    /// The groups measured when none are named: all but <c>targeted</c>, which costs about 0.8 ms per cell more and did not
    /// lift the cross-domain scores in the ablation (it is opt-in: <c>--groups all</c> or naming it).
    /// </summary>
    public static readonly IReadOnlyList<string> OdDefaultGroups = ["shape", "colour", "texture-coarse", "texture-fine"];

    private static FeatureDefinition[] BuildOdGroups()
    {
        var list = new List<FeatureDefinition>(88);
        string shape = RobustStudyReference + "; " + RegionPropsReference;
        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cell", "whole cell") })
        {
            string of = $"of the canonical {region} mask, A = its pixel count";
            list.Add(new($"{p}_solidity", "shape", "ratio", $"A / max(hull area, 1) {of}, hull of the pixel centres (regionprops solidity up to the hull convention)",
                "(0, ~1.1]; ≈ 1 for a convex region", shape));
            list.Add(new($"{p}_circularity", "shape", "ratio", $"4π A / max(P², 1) {of}, P = summed OpenCV arcLength of its external contours (CellProfiler FormFactor, true π)",
                "(0, ~1]; 0.90-0.92 for a digital disc of radius 10-32 px (the contour joins boundary pixel centres), lower for irregular shapes", shape));
            list.Add(new($"{p}_convexity", "shape", "ratio", $"hull perimeter / max(P, 1) {of}",
                "(0, 1]; ≈ 0.95 for a digital disc (the contour's staircase is longer than the hull), 1 for an axis-aligned rectangle", shape));
            list.Add(new($"{p}_eccentricity", "shape", "ratio", $"sqrt(1 − λ₂ / λ₁), λ₁ ≥ λ₂ the eigenvalues of the second central moments {of} (regionprops eccentricity)",
                "[0, 1); 0 for a disc", shape));
            list.Add(new($"{p}_components", "shape", "count", $"8-connected components {of}",
                "integer ≥ 1", shape));
            list.Add(new($"{p}_thickness_max", "shape", "ratio", $"max EDT / sqrt(A / π) {of}; EDT = exact Euclidean distance to the background",
                "(0, ~1]; ≈ 1 for a disc", shape));
            list.Add(new($"{p}_thickness_mean", "shape", "ratio", $"mean EDT over the region / sqrt(A / π) {of}",
                "(0, ~1/3]; ≈ 1/3 for a disc", shape));
            foreach (int q in new[] { 35, 55 })
            {
                list.Add(new($"{p}_lobes_{q}", "shape", "count", $"4-connected components of EDT > 0.{q} · max EDT {of} (lobes)",
                    "integer ≥ 1", shape));
            }

            string defect = $"{shape}; {ConvexityDefectsReference}";
            list.Add(new($"{p}_defect_depth_1", "shape", "ratio", $"depth of the deepest convexity defect of the largest external contour (OpenCV fixed-point depth / 256) / sqrt(A / π) {of}; 0 without defects",
                "≥ 0; 0 for a convex region", defect));
            list.Add(new($"{p}_defect_depth_2", "shape", "ratio", $"depth of the second deepest convexity defect, as {p}_defect_depth_1; 0 without a second",
                "≥ 0, ≤ the first", defect));
            list.Add(new($"{p}_deep_defects", "shape", "count", $"convexity defects of the largest contour deeper than 0.25 · sqrt(A / π) {of}",
                "integer ≥ 0", defect));
        }

        list.Add(new("nc_area_ratio", "shape", "ratio", "canonical nucleus px / canonical cell px (N:C area ratio)",
            "(0, 1]", shape));
        list.Add(new("nuc_offset", "shape", "ratio", "distance between the nucleus and cell centroids (canonical px) / 32 (the canonical radius)",
            "≥ 0; 0 for a centred nucleus", shape));

        string colour = RobustStudyReference + "; " + OpticalDensityReference;
        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cyto", "cytoplasm") })
        {
            foreach (string c in new[] { "R", "G", "B" })
            {
                list.Add(new($"{p}_od_{c}", "colour", "OD", $"mean OD_{c} over the canonical {region}",
                    "[0, 3]", colour));
            }

            foreach (string c in new[] { "R", "G", "B" })
            {
                list.Add(new($"{p}_chrom_{c}", "colour", "ratio", $"mean over the canonical {region} of OD_{c} / (ΣOD + 0.001) (OD chromaticity; a per-channel gain cancels)",
                    "[0, 1)", colour));
            }

            list.Add(new($"{p}_od_sum", "colour", "OD", $"mean of ΣOD + 0.001 over the canonical {region}",
                "[0.001, 9]", colour));
            list.Add(new($"{p}_od_sum_cv", "colour", "ratio", $"population SD / mean of ΣOD + 0.001 over the canonical {region} (coefficient of variation)",
                "≥ 0", colour));
        }

        foreach (string c in new[] { "R", "G", "B" })
        {
            list.Add(new($"cyto_nuc_od_ratio_{c}", "colour", "ratio", $"cyto_od_{c} / (nuc_od_{c} + 0.001) (stain-relative: cytoplasm against the same cell's nucleus)",
                "≥ 0", colour));
        }

        foreach (string c in new[] { "R", "G", "B" })
        {
            list.Add(new($"cyto_nuc_chrom_diff_{c}", "colour", "ratio", $"cyto_chrom_{c} − nuc_chrom_{c}",
                "(−1, 1)", colour));
        }

        string log = RobustStudyReference + "; " + LogReference;
        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cyto", "cytoplasm") })
        {
            list.Add(new($"{p}_log2_energy", "texture-coarse", "ratio",
                $"mean |LoG_σ=2(ΣOD)| over the eroded canonical {region} / (mean ΣOD there + 0.001); LoG = 5-point Laplacian of the float64 Gaussian (σ = 2 px, OpenCV kernel size)",
                "≥ 0", log));
        }

        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cyto", "cytoplasm") })
        {
            list.Add(new($"{p}_redness_mean", "texture-coarse", "ratio",
                $"mean of OD_G − OD_R over the eroded canonical {region} / (mean ΣOD there / 3 + 0.001) (granule redness: eosin absorbs green)",
                "real; > 0 where green is absorbed more than red", RobustStudyReference));
            list.Add(new($"{p}_redness_sd", "texture-coarse", "ratio",
                $"population SD of OD_G − OD_R over the eroded canonical {region} / (mean ΣOD there / 3 + 0.001)",
                "≥ 0", RobustStudyReference));
        }

        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cyto", "cytoplasm") })
        {
            list.Add(new($"{p}_log1_energy", "texture-fine", "ratio",
                $"as {p}_log2_energy with σ = 1 px",
                "≥ 0", log));
        }

        string lbp = RobustStudyReference + "; " + LbpReference;
        foreach (var (p, region) in new[] { ("nuc", "nucleus"), ("cyto", "cytoplasm") })
        {
            for (int b = 0; b < 10; b++)
            {
                string meaning = b switch
                {
                    0 => "uniform, no neighbour ≥ centre (a local maximum)",
                    8 => "uniform, every neighbour ≥ centre (flat or a local minimum)",
                    9 => "non-uniform (more than two 0/1 changes)",
                    _ => $"uniform, {b} neighbours ≥ centre (an edge or corner)",
                };
                list.Add(new($"{p}_lbp_{b}", "texture-fine", "fraction",
                    $"share of the eroded canonical {region} pixels whose rotation-invariant uniform LBP(8, 1) code is {b}: {meaning}; computed on ΣOD scaled to 8 bits (v · 255 / 3, clipped, truncated), bilinear neighbours, outside the image 0",
                    "[0, 1]; the ten bins sum to 1", lbp));
            }
        }

        AddTargeted(list);
        return [.. list];
    }

    private static void AddTargeted(List<FeatureDefinition> list)
    {
        const string g = "targeted";
        string of = "of the canonical nucleus mask, A = its pixel count, EDT its exact Euclidean distance transform";
        string skeleton = RobustStudyReference + "; " + SkeletonReference;
        string dynamics = RobustStudyReference + "; " + DynamicsReference;
        list.Add(new("nuc_skel_length", g, "ratio",
            $"Zhang-Suen skeleton pixels / sqrt(A / π) {of} (how far the nucleus extends as a curve: bands, lobes, kidneys)",
            "≥ 0; < 0.3 for a disc (its skeleton is a dot or a short bar), ≈ 2 for two touching discs", skeleton));
        list.Add(new("nuc_skel_ends", g, "count",
            $"end points (crossing number 1) of the Zhang-Suen skeleton {of} whose branch, followed to the first junction (crossing number ≥ 3) or to the far end, is longer in pixels than the EDT where it stops (the max EDT at a far end): spurs from outline dents are not counted",
            "integer ≥ 0; 0 for a disc, 2 for a bar, an ellipse or two joined lobes, 3-5 for a segmented nucleus", skeleton));
        list.Add(new("nuc_edt_peaks", g, "count",
            $"maxima of the EDT {of} whose dynamic (drop to the saddle where the basin meets a higher one, 8-connected flooding from the top) is ≥ 0.25 · max EDT, the highest counted once (its dynamic is its height): lobes separated by a waist",
            "integer ≥ 1 (0 for an empty mask); 1 for a disc or an ellipse, 2 for two discs joined by a thin bridge", dynamics));
        list.Add(new("nuc_edt_dynamic_2", g, "ratio",
            $"largest dynamic of an EDT maximum other than the highest / max EDT {of} (0 with one maximum): how deeply the second lobe is cut off",
            "[0, 1); 0 for a disc, ≈ (r − bridge half-width) / r for two discs of radius r", dynamics));
        list.Add(new("nuc_centroid_depth", g, "ratio",
            $"EDT at the nucleus centroid (rounded to a pixel) / max EDT {of} (kidney, horseshoe and band nuclei have their centroid near or outside the edge)",
            "[0, 1]; 1 for a disc, 0 when the centroid lies outside the nucleus", RobustStudyReference));

        string colour = RobustStudyReference + "; " + OpticalDensityReference;
        string dense = "the dense cytoplasm (eroded canonical cytoplasm pixels with ΣOD ≥ its upper quartile, the value at index floor(0.75 (n − 1)) of the sorted ΣOD: the granules)";
        string light = "the light cytoplasm (ΣOD ≤ the median, index floor((n − 1) / 2))";
        string redness = "redness = mean(OD_G − OD_R) / (mean ΣOD / 3 + 0.001) over a pixel set (as cyto_redness_mean)";
        list.Add(new("cyto_dense_redness_contrast", g, "ratio",
            $"redness of {dense} − redness of {light}; {redness}: granules redder than the same cell's own ground cytoplasm (eosinophil), independent of the stain's overall tint",
            "real; ≈ 0 for a uniform cytoplasm, > 0 when the dense pixels absorb relatively more green; 0 for an empty cytoplasm", colour));
        list.Add(new("cyto_dense_chrom_dist", g, "ratio",
            $"Euclidean distance between the mean OD chromaticities (OD_c / (ΣOD + 0.001)) of {dense} and of {light}",
            "[0, √2); 0 for a cytoplasm of one hue", colour));
        list.Add(new("cyto_dense_nuc_redness", g, "ratio",
            $"redness of {dense} − redness of the eroded canonical nucleus; {redness}: granules against the same cell's nucleus",
            "real; > 0 when granules are redder than the nucleus", colour));
        list.Add(new("cyto_granule_fraction", g, "fraction",
            "share of the eroded canonical cytoplasm pixels with ΣOD > (mean ΣOD of those pixels + mean ΣOD of the eroded nucleus) / 2 (pixels at least half-way to the nucleus's density: coarse dense granules)",
            "[0, 1]; 0 for an empty cytoplasm", colour));
        list.Add(new("cyto_nuc_log1_ratio", g, "ratio",
            "cyto_log1_energy / (nuc_log1_energy + 0.001) (computed as in texture-fine whether or not that group is on): cytoplasm texture against the same cell's nuclear texture, so blur that softens both cancels",
            "≥ 0", RobustStudyReference + "; " + LogReference));
        list.Add(new("cyto_nuc_chrom_dist", g, "ratio",
            "sqrt(Σ_c (cyto_chrom_c − nuc_chrom_c)²) over c = R, G, B (cytoplasm hue distance from the same cell's nucleus; a grey-blue monocyte cytoplasm is nearer the nucleus than a lymphocyte's)",
            "[0, √2)", colour));
        list.Add(new("nuc_chromatin_cv", g, "ratio",
            "population SD / (mean + 0.001) of ΣOD over the eroded canonical nucleus (chromatin contrast at the canonical scale without the nuclear rim)",
            "≥ 0; 0 for a flat nucleus", colour));
    }
}
