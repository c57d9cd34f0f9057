using Raabin.Features.Imaging;
using static Raabin.Features.Tests.Imaging.Morphology.MorphologyTestImages;
using Morph = Raabin.Features.Imaging.Morphology;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class MorphologyTests
{
    private static readonly GrayImage Square = Mask(
        ".......",
        ".#####.",
        ".#####.",
        ".#####.",
        ".#####.",
        ".#####.",
        ".......");

    [Fact]
    public void Eroding_a_5x5_square_by_3x3_leaves_3x3_and_dilating_grows_it_to_the_border()
    {
        var box = StructuringElement.Rectangle(3, 3);
        Assert.Equal(
            [".......", ".......", "..###..", "..###..", "..###..", ".......", "......."],
            Rows(Morph.Erode(Square, box)));
        Assert.All(Morph.Dilate(Square, box).Pixels, v => Assert.Equal(255, v));
    }

    [Fact]
    public void The_border_neither_erodes_nor_dilates()
    {
        var full = new GrayImage(6, 4);
        full.Pixels.AsSpan().Fill(255);
        Assert.All(Morph.Erode(full, StructuringElement.EllipseOfRadius(5)).Pixels, v => Assert.Equal(255, v));
        Assert.All(Morph.Dilate(new GrayImage(6, 4), StructuringElement.EllipseOfRadius(5)).Pixels, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Dilation_does_not_reflect_an_even_element()
    {
        // dst(x, y) = max src(x + i - 2, y + j - 2): a lone pixel at (3, 3) paints the element mirrored through it.
        var dot = new GrayImage(7, 7);
        dot[3, 3] = 255;
        Assert.Equal(
            [".......", ".......", "..####.", "..####.", "..####.", "...#...", "......."],
            Rows(Morph.Dilate(dot, StructuringElement.Ellipse(4, 4))));
    }

    [Fact]
    public void Opening_with_an_even_element_shifts_like_cv2()
    {
        // cv2.morphologyEx(MORPH_OPEN) with a 2 x 1 box turns [0 255 255 0 0 0] into [0 0 255 255 0 0]: with the
        // element not reflected for dilation, an even opening is neither anti-extensive nor idempotent.
        var image = new GrayImage(6, 1, [0, 255, 255, 0, 0, 0]);
        Assert.Equal([0, 0, 255, 255, 0, 0], Morph.Open(image, StructuringElement.Rectangle(2, 1)).Pixels);
    }

    [Fact]
    public void Grey_erosion_takes_the_minimum_over_the_cross()
    {
        var image = new GrayImage(3, 3, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
        var cross = StructuringElement.Cross(3, 3);
        // Centre: min(8, 6, 5, 4, 2) = 2; corner (0, 0): min(9, 8, 6) = 6 (the outside is ignored).
        Assert.Equal([6, 5, 4, 3, 2, 1, 2, 1, 1], Morph.Erode(image, cross).Pixels);
        Assert.Equal([9, 9, 8, 9, 8, 7, 6, 5, 4], Morph.Dilate(image, cross).Pixels);
    }

    [Fact]
    public void Zero_iterations_copy_and_two_iterations_of_a_box_equal_a_box_twice_as_large()
    {
        var random = new Random(11);
        GrayImage image = RandomImage(random, 23, 17);
        GrayImage copy = Morph.Erode(image, StructuringElement.Rectangle(3, 3), 0);
        Assert.NotSame(image.Pixels, copy.Pixels);
        Assert.Equal(image.Pixels, copy.Pixels);
        Assert.Equal(Morph.Erode(image, StructuringElement.Rectangle(9, 5)).Pixels, Morph.Erode(image, StructuringElement.Rectangle(5, 3), 2).Pixels);
        Assert.Equal(Morph.Dilate(image, StructuringElement.Rectangle(5, 5)).Pixels, Morph.Dilate(image, StructuringElement.Rectangle(3, 3), 2).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Morph.Dilate(image, StructuringElement.Rectangle(3, 3), -1));
    }

    [Fact]
    public void Fast_path_equals_the_brute_force_definition_on_random_images_and_elements()
    {
        var random = new Random(20250611);
        for (int trial = 0; trial < 300; trial++)
        {
            int w = random.Next(1, 40), h = random.Next(1, 40);
            GrayImage image = trial % 2 == 0 ? RandomImage(random, w, h) : RandomMask(random, w, h, random.NextDouble());
            StructuringElement element = RandomElement(random, trial % 10 == 0 ? 60 : 15);
            Assert.Equal(BruteForce(image, element, erode: true).Pixels, Morph.Erode(image, element).Pixels);
            Assert.Equal(BruteForce(image, element, erode: false).Pixels, Morph.Dilate(image, element).Pixels);
        }
    }

    [Fact]
    public void Vector_loops_equal_their_scalar_twins()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 150; trial++)
        {
            GrayImage image = RandomImage(random, random.Next(1, 130), random.Next(1, 40));
            StructuringElement element = RandomElement(random, trial % 3 == 0 ? 81 : 21);
            GrayImage erodedVector = Morph.Erode(image, element), dilatedVector = Morph.Dilate(image, element);
            GrayImage erodedScalar, dilatedScalar;
            Morph.ScalarOnly = true;
            try
            {
                erodedScalar = Morph.Erode(image, element);
                dilatedScalar = Morph.Dilate(image, element);
            }
            finally
            {
                Morph.ScalarOnly = false;
            }

            Assert.Equal(erodedScalar.Pixels, erodedVector.Pixels);
            Assert.Equal(dilatedScalar.Pixels, dilatedVector.Pixels);
            Assert.Equal(BruteForce(image, element, erode: true).Pixels, erodedScalar.Pixels);
        }
    }

    [Fact]
    public void With_odd_elements_erosion_inside_mask_inside_dilation_and_opening_closing_are_idempotent()
    {
        // Odd sizes only: their elements are symmetric, so erosion and dilation are adjoint (see the even case above).
        var random = new Random(5);
        for (int trial = 0; trial < 60; trial++)
        {
            GrayImage mask = RandomMask(random, random.Next(1, 50), random.Next(1, 50), random.NextDouble());
            StructuringElement element = RandomElement(random, 11);
            if (element.Width % 2 == 0 || element.Height % 2 == 0)
            {
                element = StructuringElement.Ellipse(element.Width | 1, element.Height | 1);
            }

            GrayImage eroded = Morph.Erode(mask, element), dilated = Morph.Dilate(mask, element);
            GrayImage opened = Morph.Open(mask, element), closed = Morph.Close(mask, element);
            for (int i = 0; i < mask.Pixels.Length; i++)
            {
                Assert.True(eroded.Pixels[i] <= mask.Pixels[i] && mask.Pixels[i] <= dilated.Pixels[i]);
                Assert.True(opened.Pixels[i] <= mask.Pixels[i] && mask.Pixels[i] <= closed.Pixels[i]);
            }

            Assert.Equal(opened.Pixels, Morph.Open(opened, element).Pixels);
            Assert.Equal(closed.Pixels, Morph.Close(closed, element).Pixels);
        }
    }

    [Fact]
    public void Erosion_and_dilation_are_dual_under_inversion_and_commute_with_translation()
    {
        var random = new Random(8);
        GrayImage image = RandomImage(random, 31, 26);
        var inverted = new GrayImage(31, 26);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            inverted.Pixels[i] = (byte)(255 - image.Pixels[i]);
        }

        StructuringElement element = StructuringElement.Ellipse(9, 6);
        GrayImage erodedInverse = Morph.Erode(inverted, element);
        GrayImage dilated = Morph.Dilate(image, element);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            Assert.Equal(255 - dilated.Pixels[i], erodedInverse.Pixels[i]);
        }

        // A blob well inside a larger empty canvas: shifting the input shifts the output.
        GrayImage blob = RandomMask(random, 12, 10, 0.6);
        var canvas = new GrayImage(40, 40);
        var shifted = new GrayImage(40, 40);
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 12; x++)
            {
                canvas[x + 10, y + 12] = blob[x, y];
                shifted[x + 17, y + 15] = blob[x, y];
            }
        }

        GrayImage a = Morph.Close(canvas, element), b = Morph.Close(shifted, element);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                byte expected = x - 7 >= 0 && y - 3 >= 0 ? a[x - 7, y - 3] : (byte)0;
                Assert.Equal(expected, b[x, y]);
            }
        }
    }
}
