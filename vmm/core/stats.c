/* stats.c: the exit counters of the VM, as a table on the hypervisor console. */
#include "vmm.h"

static const char *const names[EX_COUNT] = {
  [EX_CLI] = "cli", [EX_STI] = "sti", [EX_HLT] = "hlt", [EX_PUSHF] = "pushf", [EX_POPF] = "popf",
  [EX_MOVCR_R] = "mov from cr", [EX_MOVCR_W] = "mov to cr", [EX_MOVDR] = "mov dr",
  [EX_LGDT] = "lgdt", [EX_LIDT] = "lidt", [EX_LLDT] = "lldt", [EX_LTR] = "ltr",
  [EX_INVLPG] = "invlpg", [EX_IN] = "in", [EX_OUT] = "out", [EX_INS] = "ins", [EX_OUTS] = "outs",
  [EX_MSR] = "rdmsr/wrmsr", [EX_IRET] = "iret", [EX_MOVSS] = "mov ss", [EX_CLTS] = "clts",
  [EX_CPUID] = "cpuid", [EX_OTHER_INSN] = "other insn",
  [EX_SEGREAD] = "segment read (strict)", [EX_DESCREAD] = "sgdt/str/lar.. (strict)",
  [EX_PATCHED] = "patched insn trapped",
  [EX_HIDDEN_PF] = "hidden page fault", [EX_TRUE_PF] = "true page fault",
  [EX_AD_PF] = "a/d-bit fault", [EX_OUTSIDE_PF] = "refused access",
  [EX_SHADOW_FLUSH] = "shadow flush", [EX_SHADOW_PT] = "shadow pt built",
  [EX_INVLPG_DROP] = "shadow entry dropped", [EX_SHADOW_HIT] = "shadow cache hit",
  [EX_SHADOW_NEW] = "shadow built for cr3", [EX_PT_WRITE] = "page-table write trap",
  [EX_SHADOW_ZAP] = "shadow dropped (pd write)", [EX_WP_DOWNGRADE] = "write-protected mapping",
  [EX_REFLECT_EXC] = "reflected exception", [EX_SYSCALL] = "int 0x80 reflected",
  [EX_IRQ] = "real interrupt", [EX_INJECT_IRQ] = "injected interrupt",
  [EX_RET_USER] = "return to user",
};

void stats_print(void) {
  vmm_printf("vmm: exit statistics, VM 0\n");
  for (int i = 0; i < EX_COUNT; i++)
    vmm_printf("vmm:   %-26s %10u\n", names[i], (uint32_t)vcpu.exits[i]);
  vmm_printf("vmm: ports used:");
  for (int p = 0; p < 65536; p++)
    if (vcpu.ports[p])
      vmm_printf(" %x", p);
  vmm_printf("\nvmm: accesses per port:");
  for (int p = 0; p < 65536; p++)
    if (vcpu.ports[p])
      vmm_printf(" %x=%u", p, vcpu.ports[p]);
  vmm_printf("\n");
}
