namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// An integer pixel position: <see cref="X"/> is the column, <see cref="Y"/> the row, both counted from the
/// top-left pixel of the image (the convention of OpenCV's <c>cv::Point</c>, not numpy's (row, column)).
/// </summary>
/// <param name="X">Column in pixels (may lie outside the image for polygons that are clipped when drawn).</param>
/// <param name="Y">Row in pixels.</param>
public readonly record struct Point(int X, int Y)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"({X},{Y})");
}
