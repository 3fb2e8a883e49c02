namespace Caucus.Core; public static class Placeholder{}
