package cs4j.backend.cuda;

/**
 * The caching allocator's counters: bytes held by live tensors and temporaries, bytes cached on
 * free lists, the peak of live bytes, and how many times it called cuMemAlloc.
 */
public record CudaMemoryStats(
    long liveBytes, long cachedBytes, long peakLiveBytes, long driverAllocations) {}
