// Failure texts for the generator. See spark_texts.h.
//
// Each catalogue entry is written the way Java prints it (printStackTrace), because that is
// the form Spark stores in "Full Stack Trace"; the JSON "Stack Trace" array is parsed from the
// same text so the two never disagree. Frames are modelled on Spark 3.5.x (Scala 2.12, JDK 11)
// executors; JDK 17 changes only the messages that differ (helpful NPE, direct-buffer OOM).
#include "spark_texts.h"

#include <ctime>
#include <map>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "json_out.h"

namespace sparkmedic::gen {
namespace {

enum class Tail { kFull, kRunTask, kNone };

struct Entry {
  const char* key;
  const char* class_name;
  const char* description11;  // nullptr: getMessage() is null
  const char* description17;  // nullptr: same as description11
  const char* header;         // nullptr: "<class>: <description>" (or "<class>" when null)
  const char* frames;         // the exception's own "\tat" lines
  Tail tail;
  const char* causes;  // "Caused by:" blocks; {top} / {top-K} = enclosing frame counts
  const char* help;
};

constexpr const char* kHdfsServerTrace =
    "\tat org.apache.hadoop.hdfs.server.namenode.INodeFile.valueOf(INodeFile.java:86)\n"
    "\tat org.apache.hadoop.hdfs.server.namenode.INodeFile.valueOf(INodeFile.java:76)\n"
    "\tat "
    "org.apache.hadoop.hdfs.server.namenode.FSDirStatAndListingOp.getBlockLocations("
    "FSDirStatAndListingOp.java:156)\n"
    "\tat "
    "org.apache.hadoop.hdfs.server.namenode.FSNamesystem.getBlockLocations(FSNamesystem.java:2089)"
    "\n"
    "\tat "
    "org.apache.hadoop.hdfs.server.namenode.NameNodeRpcServer.getBlockLocations(NameNodeRpcServer."
    "java:762)\n"
    "\tat "
    "org.apache.hadoop.hdfs.protocolPB.ClientNamenodeProtocolServerSideTranslatorPB."
    "getBlockLocations(ClientNamenodeProtocolServerSideTranslatorPB.java:458)\n"
    "\tat "
    "org.apache.hadoop.hdfs.protocol.proto.ClientNamenodeProtocolProtos$ClientNamenodeProtocol$2."
    "callBlockingMethod(ClientNamenodeProtocolProtos.java)\n"
    "\tat "
    "org.apache.hadoop.ipc.ProtobufRpcEngine2$Server$ProtoBufRpcInvoker.call(ProtobufRpcEngine2."
    "java:604)\n"
    "\tat "
    "org.apache.hadoop.ipc.ProtobufRpcEngine2$Server$ProtoBufRpcInvoker.call(ProtobufRpcEngine2."
    "java:572)\n"
    "\tat "
    "org.apache.hadoop.ipc.ProtobufRpcEngine2$Server$ProtoBufRpcInvoker.call(ProtobufRpcEngine2."
    "java:556)\n"
    "\tat org.apache.hadoop.ipc.RPC$Server.call(RPC.java:1093)\n"
    "\tat org.apache.hadoop.ipc.Server$RpcCall.run(Server.java:1043)\n"
    "\tat org.apache.hadoop.ipc.Server$RpcCall.run(Server.java:971)\n"
    "\tat java.base/java.security.AccessController.doPrivileged(Native Method)\n"
    "\tat java.base/javax.security.auth.Subject.doAs(Subject.java:423)\n"
    "\tat org.apache.hadoop.security.UserGroupInformation.doAs(UserGroupInformation.java:1878)\n"
    "\tat org.apache.hadoop.ipc.Server$Handler.run(Server.java:2976)\n";

#define HDFS_PATH                          \
  "/warehouse/sales/orders/dt=2024-06-01/" \
  "part-00042-7c1e5b2a-9d44-4c1f-b0a3-5e2f1d9c8a71-c000.snappy.parquet"

constexpr const char* kHdfsClientFrames =
    "\tat org.apache.hadoop.hdfs.DFSClient.callGetBlockLocations(DFSClient.java:902)\n"
    "\tat org.apache.hadoop.hdfs.DFSClient.getLocatedBlocks(DFSClient.java:889)\n"
    "\tat org.apache.hadoop.hdfs.DFSClient.getLocatedBlocks(DFSClient.java:878)\n"
    "\tat "
    "org.apache.hadoop.hdfs.DFSInputStream.fetchLocatedBlocksAndGetLastBlockLength(DFSInputStream."
    "java:232)\n"
    "\tat org.apache.hadoop.hdfs.DFSInputStream.openInfo(DFSInputStream.java:198)\n"
    "\tat org.apache.hadoop.hdfs.DFSClient.open(DFSClient.java:1051)\n"
    "\tat org.apache.hadoop.hdfs.DistributedFileSystem$4.doCall(DistributedFileSystem.java:343)\n"
    "\tat org.apache.hadoop.hdfs.DistributedFileSystem.open(DistributedFileSystem.java:355)\n"
    "\tat org.apache.hadoop.fs.FileSystem.open(FileSystem.java:976)\n"
    "\tat org.apache.parquet.hadoop.util.HadoopInputFile.newStream(HadoopInputFile.java:69)\n"
    "\tat org.apache.parquet.hadoop.ParquetFileReader.<init>(ParquetFileReader.java:796)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.parquet.SpecificParquetRecordReaderBase.initialize("
    "SpecificParquetRecordReaderBase.java:100)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader.initialize("
    "VectorizedParquetRecordReader.java:172)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat.$anonfun$"
    "buildReaderWithPartitionValues$2(ParquetFileFormat.scala:294)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.org$apache$spark$sql$execution$"
    "datasources$FileScanRDD$$anon$$readCurrentFile(FileScanRDD.scala:217)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.nextIterator(FileScanRDD.scala:"
    "279)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:129)"
    "\n"
    "\tat "
    "org.apache.spark.sql.execution.FileSourceScanExec$$anon$1.hasNext(DataSourceScanExec.scala:"
    "593)\n"
    "\tat "
    "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1."
    "columnartorow_nextBatch_0$(Unknown Source)\n";

constexpr const char* kRpcClientFrames =
    "\tat org.apache.hadoop.ipc.Client.getRpcResponse(Client.java:1612)\n"
    "\tat org.apache.hadoop.ipc.Client.call(Client.java:1558)\n"
    "\tat org.apache.hadoop.ipc.Client.call(Client.java:1455)\n"
    "\tat org.apache.hadoop.ipc.ProtobufRpcEngine2$Invoker.invoke(ProtobufRpcEngine2.java:242)\n"
    "\tat org.apache.hadoop.ipc.ProtobufRpcEngine2$Invoker.invoke(ProtobufRpcEngine2.java:129)\n"
    "\tat com.sun.proxy.$Proxy34.getBlockLocations(Unknown Source)\n"
    "\tat "
    "org.apache.hadoop.hdfs.protocolPB.ClientNamenodeProtocolTranslatorPB.getBlockLocations("
    "ClientNamenodeProtocolTranslatorPB.java:333)\n";

const std::vector<Entry>& Catalogue() {
  static const std::vector<Entry> kEntries = {
      {"OutOfMemoryError", "java.lang.OutOfMemoryError", "Java heap space", nullptr, nullptr,
       "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3745)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.codegen.BufferHolder.grow(BufferHolder.java:80)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.codegen.UnsafeWriter.grow(UnsafeWriter.java:63)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.codegen.UnsafeWriter.writeUnalignedBytes("
       "UnsafeWriter.java:127)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.codegen.UnsafeWriter.write(UnsafeWriter.java:110)"
       "\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage2."
       "agg_doAggregateWithKeysOutput_0$(Unknown Source)\n",
       Tail::kFull, nullptr,
       "heap exhausted in a hash aggregate (use oom= to also kill the executor)"},
      {"DirectBufferOOM", "java.lang.OutOfMemoryError", "Direct buffer memory",
       "Cannot reserve 8388608 bytes of direct buffer memory (allocated: 2143289344, limit: "
       "2147483648)",
       nullptr,
       "\tat java.base/java.nio.Bits.reserveMemory(Bits.java:175)\n"
       "\tat java.base/java.nio.DirectByteBuffer.<init>(DirectByteBuffer.java:118)\n"
       "\tat java.base/java.nio.ByteBuffer.allocateDirect(ByteBuffer.java:317)\n"
       "\tat "
       "org.apache.parquet.hadoop.codec.SnappyDecompressor.setInput(SnappyDecompressor.java:99)\n"
       "\tat "
       "org.apache.parquet.hadoop.codec.NonBlockedDecompressorStream.read("
       "NonBlockedDecompressorStream.java:48)\n"
       "\tat java.base/java.io.DataInputStream.readFully(DataInputStream.java:200)\n"
       "\tat java.base/java.io.DataInputStream.readFully(DataInputStream.java:170)\n"
       "\tat "
       "org.apache.parquet.bytes.BytesInput$StreamBytesInput.toByteArray(BytesInput.java:286)\n"
       "\tat org.apache.parquet.bytes.BytesInput.toByteBuffer(BytesInput.java:237)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedColumnReader.readPageV1("
       "VectorizedColumnReader.java:355)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedColumnReader.readBatch("
       "VectorizedColumnReader.java:198)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader.nextBatch("
       "VectorizedParquetRecordReader.java:316)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader."
       "nextKeyValue(VectorizedParquetRecordReader.java:212)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.RecordReaderIterator.hasNext("
       "RecordReaderIterator.scala:39)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:"
       "129)\n"
       "\tat "
       "org.apache.spark.sql.execution.FileSourceScanExec$$anon$1.hasNext(DataSourceScanExec.scala:"
       "593)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1."
       "columnartorow_nextBatch_0$(Unknown Source)\n",
       Tail::kFull, nullptr, "direct (off-heap) buffer pool exhausted while decompressing Parquet"},
      {"NullPointerException", "java.lang.NullPointerException", nullptr,
       "Cannot invoke \"String.toLowerCase()\" because \"raw\" is null", nullptr,
       "\tat "
       "com.example.etl.transform.CustomerNormalizer$.normalizeEmail(CustomerNormalizer.scala:58)\n"
       "\tat com.example.etl.DailyOrdersEtl$.$anonfun$enrich$2(DailyOrdersEtl.scala:131)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$SpecificUnsafeProjection.apply("
       "Unknown Source)\n",
       Tail::kFull, nullptr,
       "null column value in a user function (Description is null on JDK 11)"},
      {"NumberFormatException", "java.lang.NumberFormatException", "For input string: \"N/A\"",
       nullptr, nullptr,
       "\tat "
       "java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:65)\n"
       "\tat java.base/java.lang.Long.parseLong(Long.java:692)\n"
       "\tat java.base/java.lang.Long.parseLong(Long.java:817)\n"
       "\tat scala.collection.immutable.StringLike.toLong(StringLike.scala:309)\n"
       "\tat scala.collection.immutable.StringLike.toLong$(StringLike.scala:309)\n"
       "\tat scala.collection.immutable.StringOps.toLong(StringOps.scala:33)\n"
       "\tat com.example.etl.parse.OrderParser$.parseQuantity(OrderParser.scala:74)\n"
       "\tat com.example.etl.DailyOrdersEtl$.$anonfun$parse$1(DailyOrdersEtl.scala:97)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$SpecificUnsafeProjection.apply("
       "Unknown Source)\n",
       Tail::kFull, nullptr, "unparseable number in the input"},
      {"ArithmeticException", "java.lang.ArithmeticException", "/ by zero", nullptr, nullptr,
       "\tat com.example.etl.metrics.MarginCalculator$.marginPerUnit(MarginCalculator.scala:31)\n"
       "\tat com.example.etl.DailyOrdersEtl$.$anonfun$metrics$1(DailyOrdersEtl.scala:164)\n"
       "\tat scala.runtime.java8.JFunction1$mcJJ$sp.apply(JFunction1$mcJJ$sp.java:23)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$SpecificUnsafeProjection.apply("
       "Unknown Source)\n",
       Tail::kFull, nullptr, "integer division by zero in a user function"},
      {"NotSerializableException", "java.io.NotSerializableException",
       "com.example.etl.geo.GeoLookup\nSerialization stack:\n"
       "\t- object not serializable (class: com.example.etl.geo.GeoLookup, value: "
       "com.example.etl.geo.GeoLookup@6d4a65c6)\n"
       "\t- element of array (index: 1)\n"
       "\t- array (class [Ljava.lang.Object;, size 2)",
       nullptr, nullptr,
       "\tat "
       "org.apache.spark.serializer.SerializationDebugger$.improveException(SerializationDebugger."
       "scala:41)\n"
       "\tat "
       "org.apache.spark.serializer.JavaSerializationStream.writeObject(JavaSerializer.scala:49)\n"
       "\tat "
       "org.apache.spark.serializer.JavaSerializerInstance.serialize(JavaSerializer.scala:115)\n"
       "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:666)\n"
       "\tat "
       "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1128)\n"
       "\tat "
       "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:628)\n"
       "\tat java.base/java.lang.Thread.run(Thread.java:829)\n",
       Tail::kNone, nullptr,
       "task result not serializable: ResultTask only, aborts the stage at once (no retry)"},
      {"ClassNotFoundException", "java.lang.ClassNotFoundException",
       "com.example.etl.udf.GeoHashUdf", nullptr, nullptr,
       "\tat "
       "java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:581)\n"
       "\tat "
       "java.base/"
       "jdk.internal.loader.ClassLoaders$AppClassLoader.loadClass(ClassLoaders.java:178)\n"
       "\tat java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:522)\n"
       "\tat java.base/java.lang.Class.forName0(Native Method)\n"
       "\tat java.base/java.lang.Class.forName(Class.java:398)\n"
       "\tat org.apache.spark.util.SparkClassUtils.classForName(SparkClassUtils.scala:41)\n"
       "\tat org.apache.spark.util.SparkClassUtils.classForName$(SparkClassUtils.scala:36)\n"
       "\tat org.apache.spark.util.Utils$.classForName(Utils.scala:94)\n"
       "\tat "
       "org.apache.spark.serializer.JavaDeserializationStream$$anon$1.resolveClass(JavaSerializer."
       "scala:71)\n"
       "\tat java.base/java.io.ObjectInputStream.readNonProxyDesc(ObjectInputStream.java:1943)\n"
       "\tat java.base/java.io.ObjectInputStream.readClassDesc(ObjectInputStream.java:1829)\n"
       "\tat java.base/java.io.ObjectInputStream.readOrdinaryObject(ObjectInputStream.java:2117)\n"
       "\tat java.base/java.io.ObjectInputStream.readObject0(ObjectInputStream.java:1646)\n"
       "\tat java.base/java.io.ObjectInputStream.readObject(ObjectInputStream.java:464)\n"
       "\tat "
       "org.apache.spark.serializer.JavaDeserializationStream.readObject(JavaSerializer.scala:87)\n"
       "\tat "
       "org.apache.spark.serializer.JavaSerializerInstance.deserialize(JavaSerializer.scala:129)\n",
       Tail::kRunTask, nullptr, "a UDF class missing from the executor image/classpath"},
      {"ConnectException", "java.net.ConnectException", "Connection refused (Connection refused)",
       "Connection refused", nullptr,
       "\tat java.base/java.net.PlainSocketImpl.socketConnect(Native Method)\n"
       "\tat "
       "java.base/java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:412)\n"
       "\tat "
       "java.base/"
       "java.net.AbstractPlainSocketImpl.connectToAddress(AbstractPlainSocketImpl.java:255)\n"
       "\tat java.base/java.net.AbstractPlainSocketImpl.connect(AbstractPlainSocketImpl.java:237)\n"
       "\tat java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:392)\n"
       "\tat java.base/java.net.Socket.connect(Socket.java:609)\n"
       "\tat java.base/sun.net.NetworkClient.doConnect(NetworkClient.java:177)\n"
       "\tat java.base/sun.net.www.http.HttpClient.openServer(HttpClient.java:474)\n"
       "\tat java.base/sun.net.www.http.HttpClient.openServer(HttpClient.java:569)\n"
       "\tat java.base/sun.net.www.http.HttpClient.<init>(HttpClient.java:242)\n"
       "\tat java.base/sun.net.www.http.HttpClient.New(HttpClient.java:341)\n"
       "\tat java.base/sun.net.www.http.HttpClient.New(HttpClient.java:362)\n"
       "\tat "
       "java.base/"
       "sun.net.www.protocol.http.HttpURLConnection.getNewHttpClient(HttpURLConnection.java:1253)\n"
       "\tat "
       "java.base/"
       "sun.net.www.protocol.http.HttpURLConnection.plainConnect0(HttpURLConnection.java:1187)\n"
       "\tat "
       "java.base/"
       "sun.net.www.protocol.http.HttpURLConnection.plainConnect(HttpURLConnection.java:1081)\n"
       "\tat "
       "java.base/"
       "sun.net.www.protocol.http.HttpURLConnection.connect(HttpURLConnection.java:1015)\n"
       "\tat com.example.etl.enrich.FxRateClient.fetch(FxRateClient.scala:44)\n"
       "\tat com.example.etl.enrich.FxRateClient.rateFor(FxRateClient.scala:29)\n"
       "\tat com.example.etl.DailyOrdersEtl$.$anonfun$enrich$4(DailyOrdersEtl.scala:142)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$SpecificUnsafeProjection.apply("
       "Unknown Source)\n",
       Tail::kFull, nullptr, "an external service called from a UDF refused the connection"},
      {"ConnectionReset", "java.io.IOException", "Connection reset by peer", nullptr, nullptr,
       "\tat java.base/sun.nio.ch.FileDispatcherImpl.read0(Native Method)\n"
       "\tat java.base/sun.nio.ch.SocketDispatcher.read(SocketDispatcher.java:39)\n"
       "\tat java.base/sun.nio.ch.IOUtil.readIntoNativeBuffer(IOUtil.java:276)\n"
       "\tat java.base/sun.nio.ch.IOUtil.read(IOUtil.java:233)\n"
       "\tat java.base/sun.nio.ch.IOUtil.read(IOUtil.java:223)\n"
       "\tat java.base/sun.nio.ch.SocketChannelImpl.read(SocketChannelImpl.java:358)\n"
       "\tat org.apache.hadoop.net.SocketInputStream$Reader.performIO(SocketInputStream.java:57)\n"
       "\tat org.apache.hadoop.net.SocketIOWithTimeout.doIO(SocketIOWithTimeout.java:141)\n"
       "\tat org.apache.hadoop.net.SocketInputStream.read(SocketInputStream.java:161)\n"
       "\tat org.apache.hadoop.net.SocketInputStream.read(SocketInputStream.java:131)\n"
       "\tat java.base/java.io.BufferedInputStream.fill(BufferedInputStream.java:252)\n"
       "\tat java.base/java.io.BufferedInputStream.read1(BufferedInputStream.java:292)\n"
       "\tat java.base/java.io.BufferedInputStream.read(BufferedInputStream.java:351)\n"
       "\tat java.base/java.io.DataInputStream.read(DataInputStream.java:149)\n"
       "\tat "
       "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.doReadFully(PacketReceiver."
       "java:209)\n"
       "\tat "
       "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.doRead(PacketReceiver.java:171)"
       "\n"
       "\tat "
       "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.receiveNextPacket("
       "PacketReceiver.java:102)\n"
       "\tat "
       "org.apache.hadoop.hdfs.client.impl.BlockReaderRemote.readNextPacket(BlockReaderRemote.java:"
       "183)\n"
       "\tat "
       "org.apache.hadoop.hdfs.client.impl.BlockReaderRemote.read(BlockReaderRemote.java:142)\n"
       "\tat org.apache.hadoop.hdfs.DFSInputStream.readBuffer(DFSInputStream.java:833)\n"
       "\tat org.apache.hadoop.hdfs.DFSInputStream.readWithStrategy(DFSInputStream.java:898)\n"
       "\tat org.apache.hadoop.hdfs.DFSInputStream.read(DFSInputStream.java:965)\n"
       "\tat java.base/java.io.DataInputStream.readFully(DataInputStream.java:200)\n"
       "\tat "
       "org.apache.parquet.hadoop.util.H1SeekableInputStream.readFully(H1SeekableInputStream.java:"
       "72)\n"
       "\tat "
       "org.apache.parquet.hadoop.ParquetFileReader$ConsecutivePartList.readAll(ParquetFileReader."
       "java:1850)\n"
       "\tat "
       "org.apache.parquet.hadoop.ParquetFileReader.internalReadRowGroup(ParquetFileReader.java:"
       "990)\n"
       "\tat "
       "org.apache.parquet.hadoop.ParquetFileReader.readNextRowGroup(ParquetFileReader.java:940)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader."
       "checkEndOfRowGroup(VectorizedParquetRecordReader.java:426)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader.nextBatch("
       "VectorizedParquetRecordReader.java:303)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader."
       "nextKeyValue(VectorizedParquetRecordReader.java:212)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.RecordReaderIterator.hasNext("
       "RecordReaderIterator.scala:39)\n"
       "\tat "
       "org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:"
       "129)\n"
       "\tat "
       "org.apache.spark.sql.execution.FileSourceScanExec$$anon$1.hasNext(DataSourceScanExec.scala:"
       "593)\n"
       "\tat "
       "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1."
       "columnartorow_nextBatch_0$(Unknown Source)\n",
       Tail::kFull, nullptr, "an HDFS datanode dropped the connection during a Parquet read"},
      {"HdfsRemoteException", "org.apache.hadoop.ipc.RemoteException",
       "File does not exist: " HDFS_PATH "\n", nullptr,
       "org.apache.hadoop.ipc.RemoteException(java.io.FileNotFoundException): File does not "
       "exist: " HDFS_PATH "\n",
       nullptr, Tail::kFull, nullptr,
       "NameNode RPC error (RemoteException wrapping FileNotFoundException; message holds the "
       "server trace)"},
      {"FileNotFoundException", "java.io.FileNotFoundException",
       "File does not exist: " HDFS_PATH "\n", nullptr, nullptr, nullptr, Tail::kFull, nullptr,
       "input file deleted under a running query (unwrapped HDFS error with Caused by: "
       "RemoteException)"},
      {"NoSpaceLeft", "java.io.IOException", "No space left on device", nullptr, nullptr,
       "\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)\n"
       "\tat java.base/java.io.FileOutputStream.write(FileOutputStream.java:354)\n"
       "\tat "
       "org.apache.spark.storage.TimeTrackingOutputStream.write(TimeTrackingOutputStream.java:59)\n"
       "\tat java.base/java.io.BufferedOutputStream.flushBuffer(BufferedOutputStream.java:81)\n"
       "\tat java.base/java.io.BufferedOutputStream.write(BufferedOutputStream.java:127)\n"
       "\tat "
       "net.jpountz.lz4.LZ4BlockOutputStream.flushBufferedData(LZ4BlockOutputStream.java:225)\n"
       "\tat net.jpountz.lz4.LZ4BlockOutputStream.write(LZ4BlockOutputStream.java:178)\n"
       "\tat "
       "org.apache.spark.storage.DiskBlockObjectWriter.write(DiskBlockObjectWriter.scala:312)\n"
       "\tat "
       "org.apache.spark.shuffle.sort.ShuffleExternalSorter.writeSortedFile(ShuffleExternalSorter."
       "java:226)\n"
       "\tat "
       "org.apache.spark.shuffle.sort.ShuffleExternalSorter.closeAndGetSpills("
       "ShuffleExternalSorter.java:437)\n"
       "\tat "
       "org.apache.spark.shuffle.sort.UnsafeShuffleWriter.closeAndWriteOutput(UnsafeShuffleWriter."
       "java:227)\n"
       "\tat "
       "org.apache.spark.shuffle.sort.UnsafeShuffleWriter.write(UnsafeShuffleWriter.java:186)\n",
       Tail::kRunTask, nullptr,
       "local disk (spark.local.dir / emptyDir) full while writing shuffle"},
      {"ContinuousTaskRetry",
       "org.apache.spark.sql.execution.streaming.continuous.ContinuousTaskRetryException",
       "Continuous execution does not support task retry", nullptr, nullptr,
       "\tat "
       "org.apache.spark.sql.execution.streaming.continuous.ContinuousDataSourceRDD.compute("
       "ContinuousDataSourceRDD.scala:76)\n"
       "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:367)\n"
       "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:331)\n"
       "\tat org.apache.spark.rdd.MapPartitionsRDD.compute(MapPartitionsRDD.scala:52)\n"
       "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:367)\n"
       "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:331)\n"
       "\tat "
       "org.apache.spark.sql.execution.streaming.continuous.ContinuousWriteRDD.$anonfun$compute$1("
       "ContinuousWriteRDD.scala:53)\n"
       "\tat org.apache.spark.util.Utils$.tryWithSafeFinallyAndFailureCallbacks(Utils.scala:1397)\n"
       "\tat "
       "org.apache.spark.sql.execution.streaming.continuous.ContinuousWriteRDD.compute("
       "ContinuousWriteRDD.scala:84)\n"
       "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:367)\n"
       "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:331)\n",
       Tail::kRunTask, nullptr, "thrown by every retried task of a continuous-processing query"},
      {"BadRecord", "com.example.etl.BadRecordException",
       "Unparseable order record at "
       "s3a://datalake/raw/orders/dt=2024-06-01/part-00003-1f0c2a7e-c000.json:18422",
       nullptr, nullptr,
       "\tat com.example.etl.parse.OrderParser$.parse(OrderParser.scala:61)\n"
       "\tat com.example.etl.DailyOrdersEtl$.$anonfun$parse$1(DailyOrdersEtl.scala:97)\n"
       "\tat scala.collection.Iterator$$anon$10.next(Iterator.scala:461)\n",
       Tail::kFull,
       "Caused by: java.lang.IllegalArgumentException: amount must be a decimal number, got "
       "\"12,50\"\n"
       "\tat com.example.etl.parse.Amounts$.parseAmount(Amounts.scala:23)\n"
       "\tat com.example.etl.parse.OrderParser$.parse(OrderParser.scala:55)\n"
       "\t... {top-1} more\n"
       "Caused by: java.lang.NumberFormatException: Character , is neither a decimal digit number, "
       "decimal point, nor \"e\" notation exponential mark.\n"
       "\tat java.base/java.math.BigDecimal.<init>(BigDecimal.java:608)\n"
       "\tat java.base/java.math.BigDecimal.<init>(BigDecimal.java:497)\n"
       "\tat java.base/java.math.BigDecimal.<init>(BigDecimal.java:903)\n"
       "\tat scala.math.BigDecimal$.exact(BigDecimal.scala:126)\n"
       "\tat scala.math.BigDecimal$.apply(BigDecimal.scala:284)\n"
       "\tat com.example.etl.parse.Amounts$.parseAmount(Amounts.scala:21)\n"
       "\t... {top} more\n",
       "the application's own exception with a two-level Caused by: chain (bad input data)"},
      {"PythonException", "org.apache.spark.api.python.PythonException",
       "Traceback (most recent call last):\n"
       "  File \"/opt/app/jobs/orders_etl.py\", line 88, in parse_amount\n"
       "    return int(raw.replace(\",\", \"\"))\n"
       "ValueError: invalid literal for int() with base 10: 'N/A'\n",
       nullptr, nullptr,
       "\tat "
       "org.apache.spark.api.python.BasePythonRunner$ReaderIterator.handlePythonException("
       "PythonRunner.scala:572)\n"
       "\tat "
       "org.apache.spark.sql.execution.python.PythonArrowOutput$$anon$1.read(PythonArrowOutput."
       "scala:118)\n"
       "\tat "
       "org.apache.spark.sql.execution.python.PythonArrowOutput$$anon$1.read(PythonArrowOutput."
       "scala:101)\n"
       "\tat "
       "org.apache.spark.api.python.BasePythonRunner$ReaderIterator.hasNext(PythonRunner.scala:525)"
       "\n"
       "\tat org.apache.spark.InterruptibleIterator.hasNext(InterruptibleIterator.scala:37)\n"
       "\tat scala.collection.Iterator$$anon$11.hasNext(Iterator.scala:491)\n"
       "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)\n",
       Tail::kFull, nullptr, "a Python UDF raised (the message is the Python traceback)"},
      {"PythonWorkerCrash", "org.apache.spark.SparkException",
       "Python worker exited unexpectedly (crashed)", nullptr, nullptr,
       "\tat "
       "org.apache.spark.api.python.BasePythonRunner$ReaderIterator$$anonfun$1.applyOrElse("
       "PythonRunner.scala:612)\n"
       "\tat "
       "org.apache.spark.api.python.BasePythonRunner$ReaderIterator$$anonfun$1.applyOrElse("
       "PythonRunner.scala:594)\n"
       "\tat scala.runtime.AbstractPartialFunction.apply(AbstractPartialFunction.scala:38)\n"
       "\tat "
       "org.apache.spark.sql.execution.python.PythonArrowOutput$$anon$1.read(PythonArrowOutput."
       "scala:118)\n"
       "\tat "
       "org.apache.spark.sql.execution.python.PythonArrowOutput$$anon$1.read(PythonArrowOutput."
       "scala:101)\n"
       "\tat "
       "org.apache.spark.api.python.BasePythonRunner$ReaderIterator.hasNext(PythonRunner.scala:525)"
       "\n"
       "\tat org.apache.spark.InterruptibleIterator.hasNext(InterruptibleIterator.scala:37)\n"
       "\tat scala.collection.Iterator$$anon$11.hasNext(Iterator.scala:491)\n"
       "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)\n",
       Tail::kFull,
       "Caused by: java.io.EOFException\n"
       "\tat java.base/java.io.DataInputStream.readInt(DataInputStream.java:397)\n"
       "\tat "
       "org.apache.spark.sql.execution.python.PythonArrowOutput$$anon$1.read(PythonArrowOutput."
       "scala:104)\n"
       "\t... {top-4} more\n",
       "the Python worker process died (segfault / killed): SparkException with EOFException "
       "cause"},
  };
  return kEntries;
}

// The generated-code + shuffle-write frames between user code and ShuffleMapTask.runTask.
constexpr const char* kMapIterFrames =
    "\tat "
    "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1."
    "processNext(Unknown Source)\n"
    "\tat org.apache.spark.sql.execution.BufferedRowIterator.hasNext(BufferedRowIterator.java:43)\n"
    "\tat "
    "org.apache.spark.sql.execution.WholeStageCodegenEvaluatorFactory$"
    "WholeStageCodegenPartitionEvaluator$$anon$1.hasNext(WholeStageCodegenEvaluatorFactory.scala:"
    "43)\n"
    "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)\n"
    "\tat "
    "org.apache.spark.shuffle.sort.BypassMergeSortShuffleWriter.write(BypassMergeSortShuffleWriter."
    "java:140)\n"
    "\tat org.apache.spark.shuffle.ShuffleWriteProcessor.write(ShuffleWriteProcessor.scala:59)\n";
constexpr const char* kResultIterFrames =
    "\tat "
    "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage3."
    "processNext(Unknown Source)\n"
    "\tat org.apache.spark.sql.execution.BufferedRowIterator.hasNext(BufferedRowIterator.java:43)\n"
    "\tat "
    "org.apache.spark.sql.execution.WholeStageCodegenEvaluatorFactory$"
    "WholeStageCodegenPartitionEvaluator$$anon$1.hasNext(WholeStageCodegenEvaluatorFactory.scala:"
    "43)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatDataWriter.writeWithIterator("
    "FileFormatDataWriter.scala:91)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.$anonfun$executeTask$1("
    "FileFormatWriter.scala:403)\n"
    "\tat org.apache.spark.util.Utils$.tryWithSafeFinallyAndFailureCallbacks(Utils.scala:1397)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeTask(FileFormatWriter."
    "scala:410)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.WriteFilesExec.$anonfun$doExecuteWrite$1("
    "WriteFiles.scala:100)\n"
    "\tat org.apache.spark.rdd.RDD.$anonfun$mapPartitionsInternal$2(RDD.scala:893)\n"
    "\tat org.apache.spark.rdd.RDD.$anonfun$mapPartitionsInternal$2$adapted(RDD.scala:893)\n"
    "\tat org.apache.spark.rdd.MapPartitionsRDD.compute(MapPartitionsRDD.scala:52)\n"
    "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:367)\n"
    "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:331)\n";
constexpr const char* kMapRunTask =
    "\tat org.apache.spark.scheduler.ShuffleMapTask.runTask(ShuffleMapTask.scala:104)\n"
    "\tat org.apache.spark.scheduler.ShuffleMapTask.runTask(ShuffleMapTask.scala:54)\n";
constexpr const char* kResultRunTask =
    "\tat org.apache.spark.scheduler.ResultTask.runTask(ResultTask.scala:93)\n";
constexpr const char* kExecutorFrames =
    "\tat org.apache.spark.TaskContext.runTaskWithListeners(TaskContext.scala:161)\n"
    "\tat org.apache.spark.scheduler.Task.run(Task.scala:141)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.$anonfun$run$4(Executor.scala:620)\n"
    "\tat org.apache.spark.util.SparkErrorUtils.tryWithSafeFinally(SparkErrorUtils.scala:64)\n"
    "\tat org.apache.spark.util.SparkErrorUtils.tryWithSafeFinally$(SparkErrorUtils.scala:61)\n"
    "\tat org.apache.spark.util.Utils$.tryWithSafeFinally(Utils.scala:94)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:623)\n"
    "\tat "
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1128)\n"
    "\tat "
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:628)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:829)\n";

std::string TailText(Tail tail, bool result_task) {
  std::string out;
  if (tail == Tail::kNone) return out;
  if (tail == Tail::kFull) out += result_task ? kResultIterFrames : kMapIterFrames;
  out += result_task ? kResultRunTask : kMapRunTask;
  out += kExecutorFrames;
  return out;
}

int CountFrames(std::string_view text) {
  int n = 0;
  for (size_t pos = 0; (pos = text.find("\tat ", pos)) != std::string_view::npos; pos += 4) ++n;
  return n;
}

// Replaces {top} and {top-K} with the enclosing trace's frame count (minus K).
std::string FillMore(std::string_view causes, int top) {
  std::string out;
  size_t i = 0;
  while (i < causes.size()) {
    size_t open = causes.find("{top", i);
    if (open == std::string_view::npos) break;
    size_t close = causes.find('}', open);
    out.append(causes.substr(i, open - i));
    int k = 0;
    if (causes[open + 4] == '-')
      k = std::stoi(std::string(causes.substr(open + 5, close - open - 5)));
    out += std::to_string(top - k);
    i = close + 1;
  }
  out.append(causes.substr(i));
  return out;
}

// Appends the JSON form of one "\tat ..." frame line (without the prefix) to `b`.
void FrameJson(Buf& b, std::string_view line) {
  size_t paren = line.find('(');
  std::string_view qualified = line.substr(0, paren);
  std::string_view loc = line.substr(paren + 1, line.size() - paren - 2);
  if (size_t slash = qualified.find('/'); slash != std::string_view::npos) {
    qualified = qualified.substr(slash + 1);  // module prefix ("java.base/") is not in the class
  }
  size_t dot = qualified.rfind('.');
  std::string_view cls = qualified.substr(0, dot);
  std::string_view method = qualified.substr(dot + 1);
  Raw(b, "{\"Declaring Class\":");
  Str(b, cls);
  Raw(b, ",\"Method Name\":");
  Str(b, method);
  Raw(b, ",\"File Name\":");
  if (loc == "Unknown Source") {
    Raw(b, "null,\"Line Number\":-1}");
    return;
  }
  if (loc == "Native Method") {
    std::string_view simple = cls.substr(cls.rfind('.') + 1);
    simple = simple.substr(0, simple.find('$'));
    Str(b, std::string(simple) + ".java");
    Raw(b, ",\"Line Number\":-2}");
    return;
  }
  size_t colon = loc.find(':');
  Str(b, loc.substr(0, colon));
  Raw(b, ",\"Line Number\":");
  if (colon == std::string_view::npos) {
    Raw(b, "-1}");
  } else {
    Raw(b, loc.substr(colon + 1));
    b.push_back('}');
  }
}

std::string FramesJson(std::string_view frames) {
  Buf b;
  b.push_back('[');
  bool first = true;
  size_t pos = 0;
  while ((pos = frames.find("\tat ", pos)) != std::string_view::npos) {
    size_t end = frames.find('\n', pos);
    if (!first) b.push_back(',');
    first = false;
    FrameJson(b, frames.substr(pos + 4, end - pos - 4));
    pos = end;
  }
  b.push_back(']');
  return std::string(b.data(), b.size());
}

const Entry* FindEntry(std::string_view key) {
  for (const Entry& e : Catalogue()) {
    if (key == e.key) return &e;
  }
  return nullptr;
}

// Own frames of entries whose frames are shared texts.
std::string OwnFrames(const Entry& e) {
  std::string_view key = e.key;
  if (key == "HdfsRemoteException") return std::string(kRpcClientFrames) + kHdfsClientFrames;
  if (key == "FileNotFoundException") {
    return std::string(
               "\tat "
               "java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native "
               "Method)\n"
               "\tat "
               "java.base/"
               "jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance("
               "NativeConstructorAccessorImpl.java:62)\n"
               "\tat "
               "java.base/"
               "jdk.internal.reflect.DelegatingConstructorAccessorImpl.newInstance("
               "DelegatingConstructorAccessorImpl.java:45)\n"
               "\tat java.base/java.lang.reflect.Constructor.newInstance(Constructor.java:490)\n"
               "\tat "
               "org.apache.hadoop.ipc.RemoteException.instantiateException(RemoteException.java:"
               "121)\n"
               "\tat "
               "org.apache.hadoop.ipc.RemoteException.unwrapRemoteException(RemoteException.java:"
               "88)\n") +
           kHdfsClientFrames;
  }
  return e.frames;
}

std::string OwnCauses(const Entry& e) {
  if (std::string_view(e.key) == "FileNotFoundException") {
    return std::string(
               "Caused by: org.apache.hadoop.ipc.RemoteException(java.io.FileNotFoundException): "
               "File does not exist: " HDFS_PATH "\n") +
           kHdfsServerTrace + "\n" + kRpcClientFrames +
           "\tat org.apache.hadoop.hdfs.DFSClient.callGetBlockLocations(DFSClient.java:900)\n"
           "\t... {top-7} more\n";
  }
  return e.causes ? e.causes : "";
}

RenderedException Render(const Entry& e, bool result_task, bool java17) {
  RenderedException r;
  r.class_name = e.class_name;
  const char* desc = (java17 && e.description17) ? e.description17 : e.description11;
  std::string description = desc ? desc : "";
  if (std::string_view(e.key) == "HdfsRemoteException" ||
      std::string_view(e.key) == "FileNotFoundException") {
    description += kHdfsServerTrace;  // the NameNode's trace travels inside the message
  }
  if (desc) r.description = description;
  std::string header;
  if (e.header) {
    header = std::string(e.header);
    if (std::string_view(e.key) == "HdfsRemoteException") header += kHdfsServerTrace;
  } else {
    header = desc ? r.class_name + ": " + description : r.class_name;
  }
  std::string frames = OwnFrames(e) + TailText(e.tail, result_task);
  r.stack_json = FramesJson(frames);
  r.full_trace = header + "\n" + frames + FillMore(OwnCauses(e), CountFrames(frames));
  return r;
}

}  // namespace

std::vector<std::string> ExceptionKeys() {
  std::vector<std::string> keys;
  for (const Entry& e : Catalogue()) keys.emplace_back(e.key);
  return keys;
}

bool IsExceptionKey(std::string_view key) { return FindEntry(key) != nullptr; }

std::string ExceptionClassName(std::string_view key) {
  const Entry* e = FindEntry(key);
  return e ? e->class_name : "";
}

std::string ExceptionCatalogueHelp() {
  std::string out;
  for (const Entry& e : Catalogue()) {
    out += fmt::format("  {:<24}{}\n  {:<24}  {}\n", e.key, e.class_name, "", e.help);
  }
  return out;
}

const RenderedException& RenderException(std::string_view key, bool result_task, bool java17) {
  static std::mutex mu;
  static std::map<std::string, RenderedException> cache;
  std::string cache_key = fmt::format("{}|{}|{}", key, result_task ? 1 : 0, java17 ? 1 : 0);
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(cache_key);
  if (it == cache.end()) {
    const Entry* e = FindEntry(key);
    if (e == nullptr) throw std::invalid_argument("unknown exception key");
    it = cache.emplace(cache_key, Render(*e, result_task, java17)).first;
  }
  return it->second;
}

std::vector<std::string> ExecutorLossKinds() {
  return {"137", "143", "52", "53", "decommission", "heartbeat", "deleted"};
}

bool IsExecutorLossKind(std::string_view kind) {
  for (const std::string& k : ExecutorLossKinds()) {
    if (k == kind) return true;
  }
  return false;
}

bool LossCausedByApp(std::string_view kind) { return kind != "decommission" && kind != "deleted"; }

std::string LossReasonText(std::string_view kind, std::string_view exec_id, int64_t started_ms,
                           int64_t finished_ms, std::string_view spark_version,
                           int64_t heartbeat_ms) {
  if (kind == "decommission") {
    return fmt::format("Executor decommission: Executor {} is decommissioned.", exec_id);
  }
  if (kind == "heartbeat")
    return fmt::format("Executor heartbeat timed out after {} ms", heartbeat_ms);
  if (kind == "deleted") {
    return fmt::format("The executor with id {} was deleted by a user or the framework.", exec_id);
  }
  // ExecutorPodsLifecycleManager.exitReasonMessage: a stripMargin'd block whose empty lines
  // stand for the absent pod-level reason and message.
  std::string code(kind);
  std::string explained = code == "137"  ? "137(SIGKILL, possible container OOM)"
                          : code == "52" ? "52(JVM OOM)"
                          : code == "53" ? "53(DiskStore failed to create temp dir)"
                                         : code + "(unexpected)";
  std::string termination = code == "137" ? "OOMKilled" : "Error";
  return fmt::format(
      "\nThe executor with id {} exited with exit code {}.\n\n\n\n"
      "The API gave the following container statuses:\n\n\n"
      "\t container name: spark-kubernetes-executor\n"
      "\t container image: apache/spark:{}\n"
      "\t container state: terminated\n"
      "\t container started at: {}\n"
      "\t container finished at: {}\n"
      "\t exit code: {}\n"
      "\t termination reason: {}\n      ",
      exec_id, explained, spark_version, IsoSeconds(started_ms), IsoSeconds(finished_ms), code,
      termination);
}

std::string FetchFailedMessage(std::string_view host, int port) {
  std::string addr = fmt::format("{}/{}:{}", host, host, port);
  std::string frames =
      std::string(
          "\tat "
          "org.apache.spark.errors.SparkCoreErrors$.fetchFailedError(SparkCoreErrors.scala:437)\n"
          "\tat "
          "org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
          "ShuffleBlockFetcherIterator.scala:1239)\n"
          "\tat "
          "org.apache.spark.storage.ShuffleBlockFetcherIterator.next(ShuffleBlockFetcherIterator."
          "scala:971)\n"
          "\tat "
          "org.apache.spark.storage.ShuffleBlockFetcherIterator.next(ShuffleBlockFetcherIterator."
          "scala:86)\n"
          "\tat org.apache.spark.util.CompletionIterator.next(CompletionIterator.scala:29)\n"
          "\tat scala.collection.Iterator$$anon$11.nextCur(Iterator.scala:486)\n"
          "\tat scala.collection.Iterator$$anon$11.hasNext(Iterator.scala:492)\n"
          "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)\n"
          "\tat org.apache.spark.util.CompletionIterator.hasNext(CompletionIterator.scala:31)\n"
          "\tat org.apache.spark.InterruptibleIterator.hasNext(InterruptibleIterator.scala:37)\n"
          "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)\n"
          "\tat "
          "org.apache.spark.sql.catalyst.expressions.GeneratedClass$"
          "GeneratedIteratorForCodegenStage2.agg_doAggregateWithKeys_0$(Unknown Source)\n") +
      TailText(Tail::kFull, false);
  return fmt::format(
      "org.apache.spark.shuffle.FetchFailedException: Failed to connect to {0}\n{1}"
      "Caused by: java.io.IOException: Failed to connect to {0}\n"
      "\tat "
      "org.apache.spark.network.client.TransportClientFactory.createClient(TransportClientFactory."
      "java:294)\n"
      "\tat "
      "org.apache.spark.network.client.TransportClientFactory.createClient(TransportClientFactory."
      "java:214)\n"
      "\tat "
      "org.apache.spark.network.netty.NettyBlockTransferService$$anon$2.createAndStart("
      "NettyBlockTransferService.scala:126)\n"
      "\tat "
      "org.apache.spark.network.shuffle.RetryingBlockTransferor.transferAllOutstanding("
      "RetryingBlockTransferor.java:154)\n"
      "\tat "
      "org.apache.spark.network.shuffle.RetryingBlockTransferor.lambda$initiateRetry$0("
      "RetryingBlockTransferor.java:184)\n"
      "\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:515)\n"
      "\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)\n"
      "\tat "
      "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1128)\n"
      "\tat "
      "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:628)\n"
      "\tat io.netty.util.concurrent.FastThreadLocalRunnable.run(FastThreadLocalRunnable.java:30)\n"
      "\tat java.base/java.lang.Thread.run(Thread.java:829)\n"
      "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: "
      "{0}\n"
      "Caused by: java.net.ConnectException: Connection refused\n"
      "\tat java.base/sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)\n"
      "\tat java.base/sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:777)\n"
      "\tat "
      "io.netty.channel.socket.nio.NioSocketChannel.doFinishConnect(NioSocketChannel.java:337)\n"
      "\tat "
      "io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe.finishConnect(AbstractNioChannel."
      "java:334)\n"
      "\tat io.netty.channel.nio.NioEventLoop.processSelectedKey(NioEventLoop.java:776)\n"
      "\tat io.netty.channel.nio.NioEventLoop.processSelectedKeysOptimized(NioEventLoop.java:724)\n"
      "\tat io.netty.channel.nio.NioEventLoop.processSelectedKeys(NioEventLoop.java:650)\n"
      "\tat io.netty.channel.nio.NioEventLoop.run(NioEventLoop.java:562)\n"
      "\tat "
      "io.netty.util.concurrent.SingleThreadEventExecutor$4.run(SingleThreadEventExecutor.java:997)"
      "\n"
      "\tat io.netty.util.internal.ThreadExecutorMap$2.run(ThreadExecutorMap.java:74)\n"
      "\tat io.netty.util.concurrent.FastThreadLocalRunnable.run(FastThreadLocalRunnable.java:30)\n"
      "\t... 1 more\n",
      addr, frames);
}

namespace {
constexpr const char* kJobFailedFrames =
    "\tat "
    "org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)\n"
    "\tat org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2(DAGScheduler.scala:2792)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2$adapted(DAGScheduler.scala:2791)"
    "\n"
    "\tat scala.collection.mutable.ResizableArray.foreach(ResizableArray.scala:62)\n"
    "\tat scala.collection.mutable.ResizableArray.foreach$(ResizableArray.scala:55)\n"
    "\tat scala.collection.mutable.ArrayBuffer.foreach(ArrayBuffer.scala:49)\n"
    "\tat org.apache.spark.scheduler.DAGScheduler.abortStage(DAGScheduler.scala:2791)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGScheduler.$anonfun$handleTaskSetFailed$1(DAGScheduler.scala:"
    "1247)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGScheduler.$anonfun$handleTaskSetFailed$1$adapted(DAGScheduler."
    "scala:1247)\n"
    "\tat scala.Option.foreach(Option.scala:407)\n"
    "\tat org.apache.spark.scheduler.DAGScheduler.handleTaskSetFailed(DAGScheduler.scala:1247)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.doOnReceive(DAGScheduler.scala:3060)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:2994)\n"
    "\tat "
    "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:2983)\n"
    "\tat org.apache.spark.util.EventLoop$$anon$1.run(EventLoop.scala:49)\n"
    "\tat org.apache.spark.scheduler.DAGScheduler.runJob(DAGScheduler.scala:989)\n"
    "\tat org.apache.spark.SparkContext.runJob(SparkContext.scala:2393)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.$anonfun$executeWrite$4("
    "FileFormatWriter.scala:307)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.writeAndCommit(FileFormatWriter."
    "scala:271)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeWrite(FileFormatWriter."
    "scala:304)\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.FileFormatWriter$.write(FileFormatWriter.scala:190)"
    "\n"
    "\tat "
    "org.apache.spark.sql.execution.datasources.InsertIntoHadoopFsRelationCommand.run("
    "InsertIntoHadoopFsRelationCommand.scala:190)\n"
    "\tat "
    "org.apache.spark.sql.execution.command.DataWritingCommandExec.sideEffectResult$lzycompute("
    "commands.scala:113)\n"
    "\tat "
    "org.apache.spark.sql.execution.command.DataWritingCommandExec.sideEffectResult(commands.scala:"
    "111)\n"
    "\tat "
    "org.apache.spark.sql.execution.command.DataWritingCommandExec.executeCollect(commands.scala:"
    "125)\n"
    "\tat org.apache.spark.sql.DataFrameWriter.saveToV1Source(DataFrameWriter.scala:361)\n"
    "\tat org.apache.spark.sql.DataFrameWriter.saveInternal(DataFrameWriter.scala:240)\n"
    "\tat org.apache.spark.sql.DataFrameWriter.save(DataFrameWriter.scala:239)\n"
    "\tat org.apache.spark.sql.DataFrameWriter.parquet(DataFrameWriter.scala:792)\n"
    "\tat com.example.etl.DailyOrdersEtl$.run(DailyOrdersEtl.scala:212)\n"
    "\tat com.example.etl.DailyOrdersEtl$.main(DailyOrdersEtl.scala:41)\n"
    "\tat com.example.etl.DailyOrdersEtl.main(DailyOrdersEtl.scala)\n";
}  // namespace

const std::string& JobFailedStackJson() {
  static const std::string kJson = FramesJson(kJobFailedFrames);
  return kJson;
}

const std::string& JobFailedStackText() {
  static const std::string kText = kJobFailedFrames;
  return kText;
}

std::string IsoSeconds(int64_t epoch_ms) {
  time_t secs = static_cast<time_t>(epoch_ms / 1000);
  struct tm tm_utc;
  gmtime_r(&secs, &tm_utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm_utc.tm_year + 1900,
                     tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min,
                     tm_utc.tm_sec);
}

std::string IsoMillis(int64_t epoch_ms) {
  std::string s = IsoSeconds(epoch_ms);
  s.pop_back();
  return fmt::format("{}.{:03}Z", s, epoch_ms % 1000);
}

}  // namespace sparkmedic::gen
