// Written out by hand: one scalar column per score slot, because a CustomMapping's vector sizes are fixed at compile time while
// the class count is data; the estimator concatenates the first k of these into the k-slot Score column.
using Microsoft.ML.Data;

namespace Raabin.Features.ML;

/// <summary>Output row of the scoring mapping (internal columns, dropped from the trainer's output).</summary>
public sealed class KernelSvmScoringOutput
{
    /// <summary>How many score slots the mapping has: the largest class count the trainer accepts.</summary>
    public const int SlotCount = 64;

    /// <summary>The chosen class's name (the label's key value text), empty when the row could not be scored.</summary>
    [ColumnName(KernelSvmColumns.PredictedName)]
    public string PredictedName = string.Empty;

    /// <summary>Score slot 0.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "00")]
    public float S00;

    /// <summary>Score slot 1.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "01")]
    public float S01;

    /// <summary>Score slot 2.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "02")]
    public float S02;

    /// <summary>Score slot 3.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "03")]
    public float S03;

    /// <summary>Score slot 4.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "04")]
    public float S04;

    /// <summary>Score slot 5.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "05")]
    public float S05;

    /// <summary>Score slot 6.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "06")]
    public float S06;

    /// <summary>Score slot 7.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "07")]
    public float S07;

    /// <summary>Score slot 8.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "08")]
    public float S08;

    /// <summary>Score slot 9.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "09")]
    public float S09;

    /// <summary>Score slot 10.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "10")]
    public float S10;

    /// <summary>Score slot 11.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "11")]
    public float S11;

    /// <summary>Score slot 12.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "12")]
    public float S12;

    /// <summary>Score slot 13.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "13")]
    public float S13;

    /// <summary>Score slot 14.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "14")]
    public float S14;

    /// <summary>Score slot 15.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "15")]
    public float S15;

    /// <summary>Score slot 16.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "16")]
    public float S16;

    /// <summary>Score slot 17.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "17")]
    public float S17;

    /// <summary>Score slot 18.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "18")]
    public float S18;

    /// <summary>Score slot 19.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "19")]
    public float S19;

    /// <summary>Score slot 20.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "20")]
    public float S20;

    /// <summary>Score slot 21.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "21")]
    public float S21;

    /// <summary>Score slot 22.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "22")]
    public float S22;

    /// <summary>Score slot 23.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "23")]
    public float S23;

    /// <summary>Score slot 24.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "24")]
    public float S24;

    /// <summary>Score slot 25.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "25")]
    public float S25;

    /// <summary>Score slot 26.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "26")]
    public float S26;

    /// <summary>Score slot 27.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "27")]
    public float S27;

    /// <summary>Score slot 28.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "28")]
    public float S28;

    /// <summary>Score slot 29.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "29")]
    public float S29;

    /// <summary>Score slot 30.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "30")]
    public float S30;

    /// <summary>Score slot 31.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "31")]
    public float S31;

    /// <summary>Score slot 32.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "32")]
    public float S32;

    /// <summary>Score slot 33.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "33")]
    public float S33;

    /// <summary>Score slot 34.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "34")]
    public float S34;

    /// <summary>Score slot 35.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "35")]
    public float S35;

    /// <summary>Score slot 36.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "36")]
    public float S36;

    /// <summary>Score slot 37.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "37")]
    public float S37;

    /// <summary>Score slot 38.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "38")]
    public float S38;

    /// <summary>Score slot 39.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "39")]
    public float S39;

    /// <summary>Score slot 40.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "40")]
    public float S40;

    /// <summary>Score slot 41.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "41")]
    public float S41;

    /// <summary>Score slot 42.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "42")]
    public float S42;

    /// <summary>Score slot 43.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "43")]
    public float S43;

    /// <summary>Score slot 44.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "44")]
    public float S44;

    /// <summary>Score slot 45.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "45")]
    public float S45;

    /// <summary>Score slot 46.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "46")]
    public float S46;

    /// <summary>Score slot 47.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "47")]
    public float S47;

    /// <summary>Score slot 48.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "48")]
    public float S48;

    /// <summary>Score slot 49.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "49")]
    public float S49;

    /// <summary>Score slot 50.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "50")]
    public float S50;

    /// <summary>Score slot 51.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "51")]
    public float S51;

    /// <summary>Score slot 52.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "52")]
    public float S52;

    /// <summary>Score slot 53.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "53")]
    public float S53;

    /// <summary>Score slot 54.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "54")]
    public float S54;

    /// <summary>Score slot 55.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "55")]
    public float S55;

    /// <summary>Score slot 56.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "56")]
    public float S56;

    /// <summary>Score slot 57.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "57")]
    public float S57;

    /// <summary>Score slot 58.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "58")]
    public float S58;

    /// <summary>Score slot 59.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "59")]
    public float S59;

    /// <summary>Score slot 60.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "60")]
    public float S60;

    /// <summary>Score slot 61.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "61")]
    public float S61;

    /// <summary>Score slot 62.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "62")]
    public float S62;

    /// <summary>Score slot 63.</summary>
    [ColumnName(KernelSvmColumns.ScoreSlotPrefix + "63")]
    public float S63;

    /// <summary>Sets the 64 score slots.</summary>
    internal void Set(ReadOnlySpan<float> v)
    {
        S00 = v[0];
        S01 = v[1];
        S02 = v[2];
        S03 = v[3];
        S04 = v[4];
        S05 = v[5];
        S06 = v[6];
        S07 = v[7];
        S08 = v[8];
        S09 = v[9];
        S10 = v[10];
        S11 = v[11];
        S12 = v[12];
        S13 = v[13];
        S14 = v[14];
        S15 = v[15];
        S16 = v[16];
        S17 = v[17];
        S18 = v[18];
        S19 = v[19];
        S20 = v[20];
        S21 = v[21];
        S22 = v[22];
        S23 = v[23];
        S24 = v[24];
        S25 = v[25];
        S26 = v[26];
        S27 = v[27];
        S28 = v[28];
        S29 = v[29];
        S30 = v[30];
        S31 = v[31];
        S32 = v[32];
        S33 = v[33];
        S34 = v[34];
        S35 = v[35];
        S36 = v[36];
        S37 = v[37];
        S38 = v[38];
        S39 = v[39];
        S40 = v[40];
        S41 = v[41];
        S42 = v[42];
        S43 = v[43];
        S44 = v[44];
        S45 = v[45];
        S46 = v[46];
        S47 = v[47];
        S48 = v[48];
        S49 = v[49];
        S50 = v[50];
        S51 = v[51];
        S52 = v[52];
        S53 = v[53];
        S54 = v[54];
        S55 = v[55];
        S56 = v[56];
        S57 = v[57];
        S58 = v[58];
        S59 = v[59];
        S60 = v[60];
        S61 = v[61];
        S62 = v[62];
        S63 = v[63];
    }
}
