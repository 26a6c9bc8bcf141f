# Reads and writes the linear-memory C stack pointer: the __stack_pointer
# global that LLVM's wasm code keeps, which C cannot name. Each greenlet has
# its own C stack, so every switch moves this global (switch.c).

.globaltype __stack_pointer, i32

.globl glet_wasm_get_sp
.type glet_wasm_get_sp,@function
glet_wasm_get_sp:
  .functype glet_wasm_get_sp () -> (i32)
  global.get __stack_pointer
  end_function

.globl glet_wasm_set_sp
.type glet_wasm_set_sp,@function
glet_wasm_set_sp:
  .functype glet_wasm_set_sp (i32) -> ()
  local.get 0
  global.set __stack_pointer
  end_function
