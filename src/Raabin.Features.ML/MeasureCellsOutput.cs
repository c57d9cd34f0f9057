// Generated (by a short script; the same shape as KernelSvmScoringOutput): one scalar column per feature slot, because a
// CustomMapping's vector sizes are fixed at compile time while the feature count depends on the extractor; the estimator
// renames the first k of these to the feature ids and concatenates them into the k-slot feature column.
using Microsoft.ML.Data;

namespace Raabin.Features.ML;

/// <summary>Output row of the measuring mapping (internal columns, dropped from the transform's output).</summary>
public sealed class MeasureCellsOutput
{
    /// <summary>
    /// How many feature slots the mapping has: the largest feature count the transform takes (od-groups with every group
    /// on writes 88; the rest is room for extractors to come without a new contract).
    /// </summary>
    public const int SlotCount = 128;

    /// <summary>The row's status word (<c>ok</c> or why there are no features).</summary>
    [ColumnName(MeasureCellsColumns.Status)]
    public string Status = string.Empty;

    /// <summary>The failure or warning message, or empty.</summary>
    [ColumnName(MeasureCellsColumns.Error)]
    public string Error = string.Empty;

    /// <summary>Feature slot 0.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "000")]
    public float F000;

    /// <summary>Feature slot 1.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "001")]
    public float F001;

    /// <summary>Feature slot 2.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "002")]
    public float F002;

    /// <summary>Feature slot 3.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "003")]
    public float F003;

    /// <summary>Feature slot 4.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "004")]
    public float F004;

    /// <summary>Feature slot 5.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "005")]
    public float F005;

    /// <summary>Feature slot 6.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "006")]
    public float F006;

    /// <summary>Feature slot 7.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "007")]
    public float F007;

    /// <summary>Feature slot 8.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "008")]
    public float F008;

    /// <summary>Feature slot 9.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "009")]
    public float F009;

    /// <summary>Feature slot 10.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "010")]
    public float F010;

    /// <summary>Feature slot 11.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "011")]
    public float F011;

    /// <summary>Feature slot 12.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "012")]
    public float F012;

    /// <summary>Feature slot 13.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "013")]
    public float F013;

    /// <summary>Feature slot 14.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "014")]
    public float F014;

    /// <summary>Feature slot 15.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "015")]
    public float F015;

    /// <summary>Feature slot 16.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "016")]
    public float F016;

    /// <summary>Feature slot 17.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "017")]
    public float F017;

    /// <summary>Feature slot 18.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "018")]
    public float F018;

    /// <summary>Feature slot 19.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "019")]
    public float F019;

    /// <summary>Feature slot 20.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "020")]
    public float F020;

    /// <summary>Feature slot 21.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "021")]
    public float F021;

    /// <summary>Feature slot 22.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "022")]
    public float F022;

    /// <summary>Feature slot 23.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "023")]
    public float F023;

    /// <summary>Feature slot 24.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "024")]
    public float F024;

    /// <summary>Feature slot 25.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "025")]
    public float F025;

    /// <summary>Feature slot 26.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "026")]
    public float F026;

    /// <summary>Feature slot 27.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "027")]
    public float F027;

    /// <summary>Feature slot 28.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "028")]
    public float F028;

    /// <summary>Feature slot 29.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "029")]
    public float F029;

    /// <summary>Feature slot 30.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "030")]
    public float F030;

    /// <summary>Feature slot 31.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "031")]
    public float F031;

    /// <summary>Feature slot 32.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "032")]
    public float F032;

    /// <summary>Feature slot 33.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "033")]
    public float F033;

    /// <summary>Feature slot 34.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "034")]
    public float F034;

    /// <summary>Feature slot 35.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "035")]
    public float F035;

    /// <summary>Feature slot 36.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "036")]
    public float F036;

    /// <summary>Feature slot 37.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "037")]
    public float F037;

    /// <summary>Feature slot 38.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "038")]
    public float F038;

    /// <summary>Feature slot 39.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "039")]
    public float F039;

    /// <summary>Feature slot 40.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "040")]
    public float F040;

    /// <summary>Feature slot 41.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "041")]
    public float F041;

    /// <summary>Feature slot 42.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "042")]
    public float F042;

    /// <summary>Feature slot 43.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "043")]
    public float F043;

    /// <summary>Feature slot 44.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "044")]
    public float F044;

    /// <summary>Feature slot 45.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "045")]
    public float F045;

    /// <summary>Feature slot 46.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "046")]
    public float F046;

    /// <summary>Feature slot 47.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "047")]
    public float F047;

    /// <summary>Feature slot 48.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "048")]
    public float F048;

    /// <summary>Feature slot 49.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "049")]
    public float F049;

    /// <summary>Feature slot 50.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "050")]
    public float F050;

    /// <summary>Feature slot 51.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "051")]
    public float F051;

    /// <summary>Feature slot 52.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "052")]
    public float F052;

    /// <summary>Feature slot 53.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "053")]
    public float F053;

    /// <summary>Feature slot 54.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "054")]
    public float F054;

    /// <summary>Feature slot 55.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "055")]
    public float F055;

    /// <summary>Feature slot 56.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "056")]
    public float F056;

    /// <summary>Feature slot 57.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "057")]
    public float F057;

    /// <summary>Feature slot 58.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "058")]
    public float F058;

    /// <summary>Feature slot 59.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "059")]
    public float F059;

    /// <summary>Feature slot 60.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "060")]
    public float F060;

    /// <summary>Feature slot 61.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "061")]
    public float F061;

    /// <summary>Feature slot 62.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "062")]
    public float F062;

    /// <summary>Feature slot 63.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "063")]
    public float F063;

    /// <summary>Feature slot 64.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "064")]
    public float F064;

    /// <summary>Feature slot 65.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "065")]
    public float F065;

    /// <summary>Feature slot 66.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "066")]
    public float F066;

    /// <summary>Feature slot 67.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "067")]
    public float F067;

    /// <summary>Feature slot 68.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "068")]
    public float F068;

    /// <summary>Feature slot 69.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "069")]
    public float F069;

    /// <summary>Feature slot 70.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "070")]
    public float F070;

    /// <summary>Feature slot 71.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "071")]
    public float F071;

    /// <summary>Feature slot 72.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "072")]
    public float F072;

    /// <summary>Feature slot 73.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "073")]
    public float F073;

    /// <summary>Feature slot 74.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "074")]
    public float F074;

    /// <summary>Feature slot 75.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "075")]
    public float F075;

    /// <summary>Feature slot 76.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "076")]
    public float F076;

    /// <summary>Feature slot 77.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "077")]
    public float F077;

    /// <summary>Feature slot 78.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "078")]
    public float F078;

    /// <summary>Feature slot 79.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "079")]
    public float F079;

    /// <summary>Feature slot 80.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "080")]
    public float F080;

    /// <summary>Feature slot 81.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "081")]
    public float F081;

    /// <summary>Feature slot 82.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "082")]
    public float F082;

    /// <summary>Feature slot 83.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "083")]
    public float F083;

    /// <summary>Feature slot 84.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "084")]
    public float F084;

    /// <summary>Feature slot 85.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "085")]
    public float F085;

    /// <summary>Feature slot 86.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "086")]
    public float F086;

    /// <summary>Feature slot 87.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "087")]
    public float F087;

    /// <summary>Feature slot 88.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "088")]
    public float F088;

    /// <summary>Feature slot 89.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "089")]
    public float F089;

    /// <summary>Feature slot 90.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "090")]
    public float F090;

    /// <summary>Feature slot 91.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "091")]
    public float F091;

    /// <summary>Feature slot 92.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "092")]
    public float F092;

    /// <summary>Feature slot 93.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "093")]
    public float F093;

    /// <summary>Feature slot 94.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "094")]
    public float F094;

    /// <summary>Feature slot 95.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "095")]
    public float F095;

    /// <summary>Feature slot 96.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "096")]
    public float F096;

    /// <summary>Feature slot 97.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "097")]
    public float F097;

    /// <summary>Feature slot 98.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "098")]
    public float F098;

    /// <summary>Feature slot 99.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "099")]
    public float F099;

    /// <summary>Feature slot 100.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "100")]
    public float F100;

    /// <summary>Feature slot 101.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "101")]
    public float F101;

    /// <summary>Feature slot 102.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "102")]
    public float F102;

    /// <summary>Feature slot 103.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "103")]
    public float F103;

    /// <summary>Feature slot 104.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "104")]
    public float F104;

    /// <summary>Feature slot 105.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "105")]
    public float F105;

    /// <summary>Feature slot 106.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "106")]
    public float F106;

    /// <summary>Feature slot 107.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "107")]
    public float F107;

    /// <summary>Feature slot 108.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "108")]
    public float F108;

    /// <summary>Feature slot 109.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "109")]
    public float F109;

    /// <summary>Feature slot 110.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "110")]
    public float F110;

    /// <summary>Feature slot 111.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "111")]
    public float F111;

    /// <summary>Feature slot 112.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "112")]
    public float F112;

    /// <summary>Feature slot 113.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "113")]
    public float F113;

    /// <summary>Feature slot 114.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "114")]
    public float F114;

    /// <summary>Feature slot 115.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "115")]
    public float F115;

    /// <summary>Feature slot 116.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "116")]
    public float F116;

    /// <summary>Feature slot 117.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "117")]
    public float F117;

    /// <summary>Feature slot 118.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "118")]
    public float F118;

    /// <summary>Feature slot 119.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "119")]
    public float F119;

    /// <summary>Feature slot 120.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "120")]
    public float F120;

    /// <summary>Feature slot 121.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "121")]
    public float F121;

    /// <summary>Feature slot 122.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "122")]
    public float F122;

    /// <summary>Feature slot 123.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "123")]
    public float F123;

    /// <summary>Feature slot 124.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "124")]
    public float F124;

    /// <summary>Feature slot 125.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "125")]
    public float F125;

    /// <summary>Feature slot 126.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "126")]
    public float F126;

    /// <summary>Feature slot 127.</summary>
    [ColumnName(MeasureCellsColumns.SlotPrefix + "127")]
    public float F127;

    /// <summary>Sets every slot from <paramref name="v"/> (length <see cref="SlotCount"/>).</summary>
    internal void Set(ReadOnlySpan<float> v)
    {
        F000 = v[0];
        F001 = v[1];
        F002 = v[2];
        F003 = v[3];
        F004 = v[4];
        F005 = v[5];
        F006 = v[6];
        F007 = v[7];
        F008 = v[8];
        F009 = v[9];
        F010 = v[10];
        F011 = v[11];
        F012 = v[12];
        F013 = v[13];
        F014 = v[14];
        F015 = v[15];
        F016 = v[16];
        F017 = v[17];
        F018 = v[18];
        F019 = v[19];
        F020 = v[20];
        F021 = v[21];
        F022 = v[22];
        F023 = v[23];
        F024 = v[24];
        F025 = v[25];
        F026 = v[26];
        F027 = v[27];
        F028 = v[28];
        F029 = v[29];
        F030 = v[30];
        F031 = v[31];
        F032 = v[32];
        F033 = v[33];
        F034 = v[34];
        F035 = v[35];
        F036 = v[36];
        F037 = v[37];
        F038 = v[38];
        F039 = v[39];
        F040 = v[40];
        F041 = v[41];
        F042 = v[42];
        F043 = v[43];
        F044 = v[44];
        F045 = v[45];
        F046 = v[46];
        F047 = v[47];
        F048 = v[48];
        F049 = v[49];
        F050 = v[50];
        F051 = v[51];
        F052 = v[52];
        F053 = v[53];
        F054 = v[54];
        F055 = v[55];
        F056 = v[56];
        F057 = v[57];
        F058 = v[58];
        F059 = v[59];
        F060 = v[60];
        F061 = v[61];
        F062 = v[62];
        F063 = v[63];
        F064 = v[64];
        F065 = v[65];
        F066 = v[66];
        F067 = v[67];
        F068 = v[68];
        F069 = v[69];
        F070 = v[70];
        F071 = v[71];
        F072 = v[72];
        F073 = v[73];
        F074 = v[74];
        F075 = v[75];
        F076 = v[76];
        F077 = v[77];
        F078 = v[78];
        F079 = v[79];
        F080 = v[80];
        F081 = v[81];
        F082 = v[82];
        F083 = v[83];
        F084 = v[84];
        F085 = v[85];
        F086 = v[86];
        F087 = v[87];
        F088 = v[88];
        F089 = v[89];
        F090 = v[90];
        F091 = v[91];
        F092 = v[92];
        F093 = v[93];
        F094 = v[94];
        F095 = v[95];
        F096 = v[96];
        F097 = v[97];
        F098 = v[98];
        F099 = v[99];
        F100 = v[100];
        F101 = v[101];
        F102 = v[102];
        F103 = v[103];
        F104 = v[104];
        F105 = v[105];
        F106 = v[106];
        F107 = v[107];
        F108 = v[108];
        F109 = v[109];
        F110 = v[110];
        F111 = v[111];
        F112 = v[112];
        F113 = v[113];
        F114 = v[114];
        F115 = v[115];
        F116 = v[116];
        F117 = v[117];
        F118 = v[118];
        F119 = v[119];
        F120 = v[120];
        F121 = v[121];
        F122 = v[122];
        F123 = v[123];
        F124 = v[124];
        F125 = v[125];
        F126 = v[126];
        F127 = v[127];
    }
}
