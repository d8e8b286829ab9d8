"""Where a student's code runs: the limits and their defaults (`limits`), the bubblewrap
sandbox (`bubblewrap`), the kernel manager and client (`kernel_manager`, `kernel_client`), and
the reference's time per cell that sizes each cell's limit (`reference_times`)."""
