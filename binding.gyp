{
  "targets": [
    {
      "target_name": "evm_native",
      "sources": [
        "<!@(ls -1 native/*.cc native/*/*.cc)"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "kernels"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fvisibility=hidden", "-fno-semantic-interposition", "<!(node -p \"process.env.EVM_PORTABLE === '1' ? '-O3' : '-march=native'\")"],
      "ldflags": ["-pthread"]
    }
  ]
}
